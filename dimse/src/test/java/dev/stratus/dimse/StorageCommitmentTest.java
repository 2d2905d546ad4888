package dev.stratus.dimse;

import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.SequenceElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.pdu.AAssociateAc;
import dev.stratus.dimse.pdu.AAssociateRq;
import dev.stratus.dimse.pdu.AReleaseRp;
import dev.stratus.dimse.pdu.AReleaseRq;
import dev.stratus.dimse.pdu.PresentationContextAc;
import dev.stratus.dimse.pdu.RoleSelection;
import dev.stratus.dimse.pdu.UserInformation;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storage Commitment Push Model from a hand-built requestor (DCMTK has no N-ACTION tool): the N-EVENT-REPORT commits
 * exactly the referenced instances stored in the caller's tenant with the SOP class named, on the N-ACTION's
 * association or, when configured, on a new association to the requestor.
 */
class StorageCommitmentTest {
    static final String COMMITMENT = "1.2.840.10008.1.20.1", COMMITMENT_INSTANCE = "1.2.840.10008.1.20.1.1";
    static final String MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";

    @TempDir
    Path dir;

    /** Stored in the default tenant, stored in another tenant, and never stored. */
    String stored, storedElsewhere, unknown = Uids.generate();

    void storeInstances(TestArchive archive) throws Exception {
        stored = store(archive, TenantId.DEFAULT);
        storedElsewhere = store(archive, new TenantId("other"));
    }

    static String store(TestArchive archive, TenantId tenant) throws Exception {
        String sop = Uids.generate();
        DataSet ds = GeneratedCt.ct(Uids.generate(), Uids.generate(), sop, "Doe^Jane", "PID9", 1);
        IngestOutcome o = archive.ingest.ingest(tenant, new ByteArrayInputStream(GeneratedCt.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)), null, "test");
        assertInstanceOf(IngestOutcome.Stored.class, o, o.toString());
        return sop;
    }

    /** Asks for the stored instance (right class), the same instance under another class, and two it does not hold. */
    void requestCommitment(TestPeer peer, String transaction) throws Exception {
        DataSet ds = new DataSet();
        ds.setString(Tag.TransactionUID, VR.UI, transaction);
        ds.setSequence(Tag.ReferencedSOPSequence, List.of(ref(GeneratedCt.CT_IMAGE_STORAGE, stored), ref(MR_IMAGE_STORAGE, stored),
                ref(GeneratedCt.CT_IMAGE_STORAGE, storedElsewhere), ref(GeneratedCt.CT_IMAGE_STORAGE, unknown)));
        CommandSet rq = new CommandSet().putUid(Tag.RequestedSOPClassUID, COMMITMENT).putUS(Tag.CommandField, CommandField.N_ACTION_RQ)
                .putUS(Tag.MessageID, 7).putUS(Tag.CommandDataSetType, CommandSet.DATA_SET_PRESENT)
                .putUid(Tag.RequestedSOPInstanceUID, COMMITMENT_INSTANCE).putUS(Tag.ActionTypeID, 1);
        peer.sendMessage(1, rq, DicomWriter.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), 16000);
        TestPeer.Message rsp = peer.readMessage();
        assertEquals(CommandField.N_ACTION_RSP, rsp.command().commandField());
        assertEquals(7, rsp.command().getUS(Tag.MessageIDBeingRespondedTo));
        assertEquals(0, rsp.command().status());
        assertEquals(COMMITMENT_INSTANCE, rsp.command().getString(Tag.AffectedSOPInstanceUID));
    }

    static DataSet ref(String cls, String sop) {
        DataSet item = new DataSet();
        item.setString(Tag.ReferencedSOPClassUID, VR.UI, cls);
        item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop);
        return item;
    }

    /** Reads the N-EVENT-REPORT, checks it commits exactly the one stored instance, and answers it. */
    void expectReport(TestPeer peer, String transaction, TransferSyntax ts) throws Exception {
        TestPeer.Message report = peer.readMessage();
        assertEquals(CommandField.N_EVENT_REPORT_RQ, report.command().commandField());
        assertEquals(COMMITMENT_INSTANCE, report.command().getString(Tag.AffectedSOPInstanceUID));
        assertEquals(2, report.command().getUS(Tag.EventTypeID), "failures exist");
        DataSet ds = new DicomReader(report.dataSet()).readDataSet(ts, dev.stratus.codec.ReadOptions.ALL);
        assertEquals(transaction, ds.getString(Tag.TransactionUID));
        List<DataSet> committed = ((SequenceElement) ds.get(Tag.ReferencedSOPSequence)).items();
        assertEquals(1, committed.size());
        assertEquals(stored, committed.getFirst().getString(Tag.ReferencedSOPInstanceUID));
        assertEquals(GeneratedCt.CT_IMAGE_STORAGE, committed.getFirst().getString(Tag.ReferencedSOPClassUID));
        Map<String, Integer> failed = new HashMap<>();
        for (DataSet item : ((SequenceElement) ds.get(Tag.FailedSOPSequence)).items()) {
            failed.put(item.getString(Tag.ReferencedSOPClassUID) + " " + item.getString(Tag.ReferencedSOPInstanceUID), item.getInt(Tag.FailureReason, -1));
        }
        assertEquals(Map.of(MR_IMAGE_STORAGE + " " + stored, 0x0119, // class-instance conflict
                GeneratedCt.CT_IMAGE_STORAGE + " " + storedElsewhere, 0x0112, // another tenant's: no such object instance
                GeneratedCt.CT_IMAGE_STORAGE + " " + unknown, 0x0112), failed);
        CommandSet rsp = new CommandSet().putUid(Tag.AffectedSOPClassUID, COMMITMENT).putUS(Tag.CommandField, CommandField.N_EVENT_REPORT_RSP)
                .putUS(Tag.MessageIDBeingRespondedTo, report.command().messageId()).putUS(Tag.CommandDataSetType, CommandSet.NO_DATA_SET)
                .putUS(Tag.Status, 0).putUid(Tag.AffectedSOPInstanceUID, COMMITMENT_INSTANCE).putUS(Tag.EventTypeID, 2);
        peer.sendMessage(report.pcId(), rsp, null, 16000);
    }

    @Test
    void resultsComeOnTheSameAssociationAndCommitOnlyWhatTheCallersTenantHolds() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            storeInstances(archive);
            try (TestPeer peer = new TestPeer(archive.port)) {
                peer.associate(TestPeer.pc(1, COMMITMENT, TestPeer.EXPLICIT));
                String transaction = Uids.generate();
                requestCommitment(peer, transaction);
                expectReport(peer, transaction, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
                peer.release();
            }
        }
    }

    @Test
    void resultsComeOnANewAssociationToTheRequestorWhenConfigured() throws Exception {
        try (ServerSocket listener = new ServerSocket(0);
             TestArchive archive = new TestArchive(dir, s -> s.withMoves(Map.of("TESTPEER", new DimseSettings.Destination("127.0.0.1", listener.getLocalPort())),
                     Map.of(), 1).withCommitmentReportOnNewAssociation(true))) {
            storeInstances(archive);
            String transaction = Uids.generate();
            try (TestPeer peer = new TestPeer(archive.port)) {
                peer.associate(TestPeer.pc(1, COMMITMENT, TestPeer.EXPLICIT));
                requestCommitment(peer, transaction);
                listener.setSoTimeout(15_000);
                try (Socket s = listener.accept(); TestPeer reportee = new TestPeer(s)) {
                    AAssociateRq rq = assertInstanceOf(AAssociateRq.class, reportee.read());
                    assertEquals("TESTPEER", rq.calledAeTitle());
                    assertEquals("STRATUS", rq.callingAeTitle());
                    assertEquals(new RoleSelection(COMMITMENT, false, true), rq.userInformation().roleSelection(COMMITMENT), "proposes itself as SCP");
                    int pcId = rq.presentationContexts().getFirst().id();
                    reportee.send(new AAssociateAc(1, rq.calledAeTitle(), rq.callingAeTitle(), AAssociateRq.DICOM_APPLICATION_CONTEXT,
                            List.of(new PresentationContextAc(pcId, 0, TestPeer.IMPLICIT)),
                            new UserInformation(16384, "1.2.3", "V", null, null, List.of(new RoleSelection(COMMITMENT, false, true)))));
                    expectReport(reportee, transaction, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
                    assertInstanceOf(AReleaseRq.class, reportee.read());
                    reportee.send(new AReleaseRp());
                }
                peer.release();
            }
        }
    }

    @Test
    void aRequestorWithNoKnownAddressIsRefusedWhenResultsGoOnANewAssociation() throws Exception {
        try (TestArchive archive = new TestArchive(dir, s -> s.withCommitmentReportOnNewAssociation(true))) {
            storeInstances(archive);
            try (TestPeer peer = new TestPeer(archive.port)) {
                peer.associate(TestPeer.pc(1, COMMITMENT, TestPeer.EXPLICIT));
                DataSet ds = new DataSet();
                ds.setString(Tag.TransactionUID, VR.UI, Uids.generate());
                ds.setSequence(Tag.ReferencedSOPSequence, List.of(ref(GeneratedCt.CT_IMAGE_STORAGE, stored)));
                CommandSet rq = new CommandSet().putUid(Tag.RequestedSOPClassUID, COMMITMENT).putUS(Tag.CommandField, CommandField.N_ACTION_RQ)
                        .putUS(Tag.MessageID, 1).putUS(Tag.CommandDataSetType, CommandSet.DATA_SET_PRESENT)
                        .putUid(Tag.RequestedSOPInstanceUID, COMMITMENT_INSTANCE).putUS(Tag.ActionTypeID, 1);
                peer.sendMessage(1, rq, DicomWriter.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), 16000);
                TestPeer.Message rsp = peer.readMessage();
                assertEquals(0x0110, rsp.command().status());
                assertTrue(rsp.command().getString(Tag.ErrorComment).contains("TESTPEER"), rsp.command().getString(Tag.ErrorComment));
                assertNull(rsp.dataSet());
                peer.release(); // nothing else was sent: the release is answered at once
            }
        }
    }
}
