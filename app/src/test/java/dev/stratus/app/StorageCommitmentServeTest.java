package dev.stratus.app;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.dimse.association.RequestorAssociation;
import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.pdu.AAssociateAc;
import dev.stratus.dimse.pdu.AAssociateRq;
import dev.stratus.dimse.pdu.AReleaseRp;
import dev.stratus.dimse.pdu.AReleaseRq;
import dev.stratus.dimse.pdu.PDataTf;
import dev.stratus.dimse.pdu.Pdu;
import dev.stratus.dimse.pdu.PduEncoder;
import dev.stratus.dimse.pdu.PduInput;
import dev.stratus.dimse.pdu.Pdv;
import dev.stratus.dimse.pdu.PresentationContextAc;
import dev.stratus.dimse.pdu.PresentationContextRq;
import dev.stratus.dimse.pdu.RoleSelection;
import dev.stratus.dimse.pdu.UserInformation;
import dev.stratus.dimse.service.PresentationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Storage Commitment through the running {@code stratus serve} with {@code dimse.storageCommitment.reportOnNewAssociation}:
 * the N-ACTION is answered on its association, and the N-EVENT-REPORT comes on a new one to the requestor's address in
 * {@code dimse.destinations}, committing the instance stored and failing the one never stored.
 */
class StorageCommitmentServeTest {
    private static final String COMMITMENT = "1.2.840.10008.1.20.1", COMMITMENT_INSTANCE = "1.2.840.10008.1.20.1.1";
    private static final String EXPLICIT = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();

    @TempDir
    Path dir;

    @Test
    void theResultsOfAnNActionComeOnANewAssociationToTheRequestorsConfiguredAddress() throws Exception {
        try (ServerSocket requestor = new ServerSocket(0)) {
            int dimsePort;
            try (ServerSocket s = new ServerSocket(0)) {
                dimsePort = s.getLocalPort();
            }
            Path yaml = Files.writeString(dir.resolve("stratus.yaml"), """
                    dimse:
                      storageCommitment:
                        reportOnNewAssociation: true
                      destinations:
                        MODALITY: {host: 127.0.0.1, port: %d}
                    """.formatted(requestor.getLocalPort()));
            try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir.resolve("server.log"),
                    List.of("--config", yaml.toString(), "--dimse-port", String.valueOf(dimsePort)))) {
                String stored = stow(server);
                String neverStored = Uids.generate();
                String transaction = Uids.generate();
                try (RequestorAssociation a = RequestorAssociation.open("127.0.0.1", dimsePort, "MODALITY", "STRATUS",
                        List.of(new PresentationContextRq(1, COMMITMENT, List.of(EXPLICIT))), Duration.ofSeconds(10), Duration.ofSeconds(30), 16384)) {
                    PresentationContext pc = a.contexts().iterator().next();
                    DataSet request = new DataSet();
                    request.setString(Tag.TransactionUID, VR.UI, transaction);
                    request.setSequence(Tag.ReferencedSOPSequence, List.of(ref(stored), ref(neverStored)));
                    byte[] body = DicomWriter.encode(request, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
                    CommandSet rsp = a.invoke(pc, new CommandSet().putUid(Tag.RequestedSOPClassUID, COMMITMENT)
                            .putUS(Tag.CommandField, CommandField.N_ACTION_RQ).putUS(Tag.CommandDataSetType, CommandSet.DATA_SET_PRESENT)
                            .putUid(Tag.RequestedSOPInstanceUID, COMMITMENT_INSTANCE).putUS(Tag.ActionTypeID, 1), out -> out.write(body));
                    assertEquals(0, rsp.status(), "N-ACTION-RSP");
                    a.release();
                }
                requestor.setSoTimeout(20_000);
                try (Socket s = requestor.accept()) {
                    s.setSoTimeout(20_000);
                    DataSet report = acceptReport(s);
                    assertEquals(transaction, report.getString(Tag.TransactionUID));
                    assertEquals(List.of(stored), report.getItems(Tag.ReferencedSOPSequence).stream()
                            .map(i -> i.getString(Tag.ReferencedSOPInstanceUID)).toList(), "committed");
                    DataSet failed = report.getItems(Tag.FailedSOPSequence).getFirst();
                    assertEquals(neverStored, failed.getString(Tag.ReferencedSOPInstanceUID));
                    assertEquals(0x0112, failed.getInt(Tag.FailureReason, -1), "no such object instance");
                }
            }
        }
    }

    private static DataSet ref(String sop) {
        DataSet item = new DataSet();
        item.setString(Tag.ReferencedSOPClassUID, VR.UI, GeneratedCt.CT_IMAGE_STORAGE);
        item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop);
        return item;
    }

    /** Stores one CT by STOW-RS; its SOP Instance UID. */
    private static String stow(ServerProcess server) throws Exception {
        String sop = Uids.generate();
        byte[] file = GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), sop, "Commit^Me", "SC1", 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("--b\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies"))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return sop;
    }

    /**
     * The requestor's side of the association the archive opens (PS3.4 J.3.3): accepts it with the archive as
     * Storage Commitment SCP, answers the N-EVENT-REPORT and the release; returns the report's data set.
     */
    private static DataSet acceptReport(Socket s) throws IOException {
        PduInput in = new PduInput(s.getInputStream());
        OutputStream out = s.getOutputStream();
        AAssociateRq rq = assertInstanceOf(AAssociateRq.class, read(in));
        assertEquals("MODALITY", rq.calledAeTitle());
        int pcId = rq.presentationContexts().getFirst().id();
        String ts = rq.presentationContexts().getFirst().transferSyntaxes().getFirst(); // the archive's first choice
        out.write(PduEncoder.encode(new AAssociateAc(1, rq.calledAeTitle(), rq.callingAeTitle(), AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextAc(pcId, 0, ts)),
                new UserInformation(16384, "1.2.3", "V", null, null, List.of(new RoleSelection(COMMITMENT, false, true))))));
        ByteArrayOutputStream command = new ByteArrayOutputStream(), data = new ByteArrayOutputStream();
        CommandSet report = null;
        boolean dataDone = false;
        while (report == null || report.hasDataSet() && !dataDone) {
            PDataTf p = assertInstanceOf(PDataTf.class, read(in));
            for (Pdv v : p.pdvs()) {
                (v.command() ? command : data).write(v.buffer(), v.offset(), v.length());
                if (v.last() && v.command()) report = CommandSet.decode(command.toByteArray());
                else if (v.last()) dataDone = true;
            }
        }
        assertEquals(CommandField.N_EVENT_REPORT_RQ, report.commandField());
        CommandSet rsp = new CommandSet().putUid(Tag.AffectedSOPClassUID, COMMITMENT).putUS(Tag.CommandField, CommandField.N_EVENT_REPORT_RSP)
                .putUS(Tag.MessageIDBeingRespondedTo, report.messageId()).putUS(Tag.CommandDataSetType, CommandSet.NO_DATA_SET)
                .putUS(Tag.Status, 0).putUid(Tag.AffectedSOPInstanceUID, COMMITMENT_INSTANCE).putUS(Tag.EventTypeID, report.getUS(Tag.EventTypeID));
        byte[] encoded = rsp.encode();
        out.write(PduEncoder.encode(new PDataTf(List.of(new Pdv(pcId, true, true, encoded, 0, encoded.length)))));
        assertInstanceOf(AReleaseRq.class, read(in));
        out.write(PduEncoder.encode(new AReleaseRp()));
        return new DicomReader(data.toByteArray()).readDataSet(TransferSyntax.of(ts), ReadOptions.ALL);
    }

    private static Pdu read(PduInput in) throws IOException {
        if (!in.next(Integer.MAX_VALUE)) throw new AssertionError("the archive closed the association");
        Pdu pdu = in.decode();
        if (pdu instanceof PDataTf p) { // the PDVs point into a reused buffer
            return new PDataTf(p.pdvs().stream().map(v -> new Pdv(v.presentationContextId(), v.command(), v.last(), v.copy(), 0, v.length())).toList());
        }
        return pdu;
    }
}
