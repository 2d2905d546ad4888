package dev.stratus.dimse;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.message.Status;
import dev.stratus.dimse.pdu.AAbort;
import dev.stratus.dimse.pdu.AAssociateAc;
import dev.stratus.dimse.pdu.AReleaseRq;
import dev.stratus.dimse.pdu.PduEncoder;
import dev.stratus.dimse.pdu.PresentationContextAc;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-made PDUs over a raw socket: every violation of PS3.8 ends in an A-ABORT with the right source and
 * reason, nothing partial is stored, no spool file is left, and no association thread stays behind.
 * Every test runs under a timeout (the server hanging would fail it) rather than asserting durations.
 */
@Timeout(60)
class ProtocolRobustnessTest {
    static final String CT = GeneratedCt.CT_IMAGE_STORAGE;

    @TempDir
    static Path dir;
    static TestArchive archive;

    @BeforeAll
    static void start() throws Exception {
        archive = new TestArchive(dir);
    }

    @AfterAll
    static void stop() {
        if (archive != null) archive.close();
    }

    @AfterEach
    void noAssociationOrSpoolFileLeft() throws Exception {
        archive.awaitNoAssociations();
        assertEquals(0, archive.spooledFiles(), "spool files left behind");
    }

    private static TestPeer associated() throws Exception {
        TestPeer peer = new TestPeer(archive.port);
        peer.associate(TestPeer.pc(1, CT, TestPeer.EXPLICIT), TestPeer.pc(3, "1.2.3.4.5.6", TestPeer.EXPLICIT));
        return peer;
    }

    private static byte[] ctDataSet(String sop) throws Exception {
        DataSet ds = GeneratedCt.ct(Uids.generate(), Uids.generate(), sop, "Robust^Test", "RB1", 1);
        return DicomWriter.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static void assertAbort(int reason, AAbort a) {
        assertEquals(AAbort.SERVICE_PROVIDER, a.source(), a.toString());
        assertEquals(reason, a.reason(), a.toString());
    }

    @Test
    void unknownPduTypeIsUnrecognizedPdu() throws Exception {
        try (TestPeer peer = associated()) {
            peer.send(new byte[] {0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0});
            assertAbort(AAbort.UNRECOGNIZED_PDU, peer.expectAbort());
            assertTrue(peer.closedByServer());
        }
    }

    @Test
    void unknownPduTypeBeforeAssociationIsUnrecognizedPdu() throws Exception {
        try (TestPeer peer = new TestPeer(archive.port)) {
            peer.send(new byte[] {(byte) 0xFF, 0, 0, 0, 0, 2, 1, 2});
            assertAbort(AAbort.UNRECOGNIZED_PDU, peer.expectAbort());
        }
    }

    @Test
    void pDataBeforeAssociationIsUnexpectedPdu() throws Exception {
        try (TestPeer peer = new TestPeer(archive.port)) {
            peer.sendMessage(1, Requests.echo(1), null, 1000);
            assertAbort(AAbort.UNEXPECTED_PDU, peer.expectAbort());
        }
    }

    @Test
    void secondAssociateRequestIsUnexpectedPdu() throws Exception {
        try (TestPeer peer = associated()) {
            peer.send(PduEncoder.encode(TestPeer.rq("TESTPEER", "STRATUS", 16384, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT))));
            assertAbort(AAbort.UNEXPECTED_PDU, peer.expectAbort());
        }
    }

    @Test
    void truncatedPduThenCloseIsAbortedAndNothingStored() throws Exception {
        String sop = Uids.generate();
        try (TestPeer peer = associated()) {
            byte[] data = ctDataSet(sop);
            peer.sendMessage(1, Requests.store(1, CT, sop), null, 1000);
            byte[] pdu = PduEncoder.encode(new dev.stratus.dimse.pdu.PDataTf(java.util.List.of(
                    new dev.stratus.dimse.pdu.Pdv(1, false, true, data, 0, data.length))));
            peer.send(Arrays.copyOf(pdu, pdu.length / 2)); // the PDU header promises more than ever comes
            peer.socket.shutdownOutput();
            assertAbort(AAbort.REASON_NOT_SPECIFIED, peer.expectAbort());
        }
        archive.awaitNoAssociations();
        assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, sop).isEmpty());
    }

    @Test
    void pdvItemOverrunningItsPduIsInvalidParameterValue() throws Exception {
        try (TestPeer peer = associated()) {
            // P-DATA-TF of 12 bytes whose PDV item claims 100.
            peer.send(new byte[] {0x04, 0, 0, 0, 0, 12, 0, 0, 0, 100, 1, 3, 0, 0, 0, 0, 0, 0});
            assertAbort(AAbort.INVALID_PDU_PARAMETER_VALUE, peer.expectAbort());
        }
    }

    @Test
    void releaseRqOfWrongLengthIsInvalidParameterValue() throws Exception {
        try (TestPeer peer = associated()) {
            peer.send(new byte[] {0x05, 0, 0, 0, 0, 2, 0, 0});
            assertAbort(AAbort.INVALID_PDU_PARAMETER_VALUE, peer.expectAbort());
        }
    }

    @Test
    void pDataOnRejectedPresentationContextIsAborted() throws Exception {
        try (TestPeer peer = new TestPeer(archive.port)) {
            AAssociateAc ac = peer.associate(TestPeer.pc(1, CT, TestPeer.EXPLICIT), TestPeer.pc(3, "1.2.3.4.5.6", TestPeer.EXPLICIT));
            assertEquals(PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED, ac.presentationContexts().get(1).result());
            peer.sendMessage(3, Requests.echo(1), null, 1000);
            assertAbort(AAbort.INVALID_PDU_PARAMETER_VALUE, peer.expectAbort());
        }
    }

    @Test
    void pDataOnPresentationContextNeverProposedIsAborted() throws Exception {
        try (TestPeer peer = associated()) {
            peer.sendMessage(77, Requests.echo(1), null, 1000);
            assertAbort(AAbort.INVALID_PDU_PARAMETER_VALUE, peer.expectAbort());
        }
    }

    @Test
    void oversizedPduIsAbortedBeforeItsBodyIsRead() throws Exception {
        try (TestPeer peer = associated()) {
            int tooLong = archive.settings.maxPduLength() + 1;
            peer.send(new byte[] {0x04, 0, (byte) (tooLong >>> 24), (byte) (tooLong >>> 16), (byte) (tooLong >>> 8), (byte) tooLong});
            assertAbort(AAbort.INVALID_PDU_PARAMETER_VALUE, peer.expectAbort());
        }
    }

    @Test
    void dataSetFragmentBeforeCommandIsUnexpectedParameter() throws Exception {
        try (TestPeer peer = associated()) {
            peer.sendFragments(1, false, new byte[] {8, 0, 0x18, 0, 0, 0, 0, 0}, 1000, true);
            assertAbort(AAbort.UNEXPECTED_PDU_PARAMETER, peer.expectAbort());
        }
    }

    @Test
    void malformedCommandSetIsAborted() throws Exception {
        try (TestPeer peer = associated()) {
            // (0000,0100) claiming 200 bytes in a 10-byte command.
            peer.sendFragments(1, true, new byte[] {0, 0, 0, 1, (byte) 200, 0, 0, 0, 1, 0}, 1000, true);
            assertAbort(AAbort.INVALID_PDU_PARAMETER_VALUE, peer.expectAbort());
        }
    }

    @Test
    void fourGigabytePDataIsAbortedFromItsHeader() throws Exception {
        try (TestPeer peer = associated()) {
            peer.send(new byte[] {0x04, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0});
            assertAbort(AAbort.INVALID_PDU_PARAMETER_VALUE, peer.expectAbort());
        }
    }

    @Test
    void associateRequestOverItsLimitIsAbortedFromItsHeader() throws Exception {
        try (TestPeer peer = new TestPeer(archive.port)) {
            int tooLong = dev.stratus.dimse.pdu.PduInput.MAX_ASSOCIATE_LENGTH + 1;
            peer.send(new byte[] {0x01, 0, (byte) (tooLong >>> 24), (byte) (tooLong >>> 16), (byte) (tooLong >>> 8), (byte) tooLong});
            assertAbort(AAbort.INVALID_PDU_PARAMETER_VALUE, peer.expectAbort());
        }
    }

    @Test
    void commandSetLongerThanAnyRealOneIsAborted() throws Exception {
        try (TestPeer peer = associated()) {
            // Command fragments that never say "last": 80 KiB of them, past the 64 KiB a command set may hold.
            peer.sendFragments(1, true, new byte[80 * 1024], 8 * 1024, false);
            assertAbort(AAbort.INVALID_PDU_PARAMETER_VALUE, peer.expectAbort());
        }
    }

    @Test
    void releaseInTheMiddleOfAnInstanceIsAbortedAndNothingStored() throws Exception {
        String sop = Uids.generate();
        try (TestPeer peer = associated()) {
            byte[] data = ctDataSet(sop);
            peer.sendMessage(1, Requests.store(1, CT, sop), null, 1000);
            peer.sendFragments(1, false, Arrays.copyOf(data, data.length / 2), 256, false);
            peer.send(new AReleaseRq());
            assertAbort(AAbort.UNEXPECTED_PDU, peer.expectAbort());
        }
        archive.awaitNoAssociations();
        assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, sop).isEmpty());
    }

    @Test
    void peerDisconnectingMidInstanceLeavesNothingStored() throws Exception {
        String sop = Uids.generate();
        try (TestPeer peer = associated()) {
            byte[] data = ctDataSet(sop);
            peer.sendMessage(1, Requests.store(1, CT, sop), null, 1000);
            peer.sendFragments(1, false, Arrays.copyOf(data, data.length - 10), 256, false); // all but the last fragment
        } // closed without A-RELEASE or A-ABORT
        archive.awaitNoAssociations();
        assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, sop).isEmpty());
    }

    @Test
    void peerAbortingMidInstanceLeavesNothingStored() throws Exception {
        String sop = Uids.generate();
        try (TestPeer peer = associated()) {
            byte[] data = ctDataSet(sop);
            peer.sendMessage(1, Requests.store(1, CT, sop), null, 1000);
            peer.sendFragments(1, false, Arrays.copyOf(data, data.length / 3), 256, false);
            peer.send(new AAbort(AAbort.SERVICE_USER, 0));
            assertTrue(peer.closedByServer(), "the server closes after an A-ABORT");
        }
        archive.awaitNoAssociations();
        assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, sop).isEmpty());
    }

    @Test
    void wholeInstanceAfterTheseIsStored() throws Exception {
        String sop = Uids.generate();
        try (TestPeer peer = associated()) {
            peer.sendMessage(1, Requests.store(7, CT, sop), ctDataSet(sop), 300);
            TestPeer.Message rsp = peer.readMessage();
            assertEquals(Status.SUCCESS, rsp.command().status());
            assertEquals(7, rsp.command().getUS(Tag.MessageIDBeingRespondedTo));
            assertEquals(sop, rsp.command().getString(Tag.AffectedSOPInstanceUID));
            peer.release();
        }
        assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, sop).isPresent());
    }

    @Test
    void ourPdusRespectThePeersMaximumLength() throws Exception {
        try (TestPeer peer = new TestPeer(archive.port)) {
            peer.associate(TestPeer.rq("TESTPEER", "STRATUS", 40, null, TestPeer.pc(1, "1.2.840.10008.1.1", TestPeer.IMPLICIT)));
            peer.sendMessage(1, Requests.echo(3), null, 1000);
            TestPeer.Message rsp = peer.readMessage();
            assertEquals(Status.SUCCESS, rsp.command().status());
            assertTrue(peer.receivedPDataLengths.size() > 1, "the response was split: " + peer.receivedPDataLengths);
            assertTrue(peer.receivedPDataLengths.stream().allMatch(n -> n <= 40), peer.receivedPDataLengths.toString());
            peer.release();
        }
    }

    @Test
    void unknownOperationIsAnsweredUnrecognized() throws Exception {
        try (TestPeer peer = new TestPeer(archive.port)) {
            peer.associate(TestPeer.pc(1, "1.2.840.10008.1.1", TestPeer.IMPLICIT));
            CommandSet nGet = new CommandSet().putUS(Tag.CommandField, 0x0110).putUS(Tag.MessageID, 5)
                    .putUS(Tag.CommandDataSetType, CommandSet.NO_DATA_SET);
            peer.sendMessage(1, nGet, null, 1000);
            assertEquals(Status.UNRECOGNIZED_OPERATION, peer.readMessage().command().status());
            peer.release();
        }
    }
}
