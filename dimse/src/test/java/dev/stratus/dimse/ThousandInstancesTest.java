package dev.stratus.dimse;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.dimse.message.Status;
import dev.stratus.dimse.service.SopClass;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generated series of 1,000 instances sent by storescu over one association, then each one checked in
 * the index; then C-FIND over it: all 1,000 as pending responses across index pages, and a C-CANCEL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThousandInstancesTest {
    static final int N = 1000;
    @TempDir
    static Path dir;
    static TestArchive archive;
    static final String STUDY = Uids.generate(), SERIES = Uids.generate();
    static final Set<String> SOPS = new HashSet<>();
    static final AtomicReference<Authenticator.Request> LAST_AUTH = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        Dcmtk.require("storescu");
        archive = new TestArchive(dir, s -> s, r -> {
            LAST_AUTH.set(r);
            return Authenticator.Result.accept();
        }, a -> a);
        Path files = Files.createDirectories(dir.resolve("series"));
        for (int i = 1; i <= N; i++) {
            String sop = Uids.generate();
            SOPS.add(sop);
            GeneratedCt.write(files.resolve(String.format("%04d.dcm", i)), GeneratedCt.ct(STUDY, SERIES, sop, "Thousand^Series", "K1000", i),
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        }
    }

    @AfterAll
    static void stop() {
        if (archive != null) archive.close();
    }

    @Test
    @Order(1)
    @Timeout(600)
    void thousandInstancesOverOneAssociationAreAllIndexed() throws Exception {
        Dcmtk.Run run = Dcmtk.run(null, 600, "storescu", "-v", "-aec", "STRATUS", "-usr", "alice", "-pwd", "secret", "-rsp",
                "+sd", "127.0.0.1", String.valueOf(archive.port), dir.resolve("series").toString());
        String out = run.output();
        assertEquals(0, run.exitCode(), out.substring(Math.max(0, out.length() - 3000)));
        assertEquals(1, count(out, "Requesting Association"), "one association");
        assertEquals(N, count(out, "Received Store Response (Success)"));
        assertEquals("alice", LAST_AUTH.get().identity().username(), "user identity passed to the authenticator");
        List<StoredInstance> stored = archive.index.listInstances(TenantId.DEFAULT, STUDY, SERIES);
        assertEquals(N, stored.size());
        Set<String> indexed = new HashSet<>();
        for (StoredInstance s : stored) {
            indexed.add(s.sopInstanceUid());
            assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), s.transferSyntaxUid());
        }
        assertEquals(SOPS, indexed);
        archive.awaitNoAssociations();
        assertEquals(0, archive.spooledFiles());
    }

    private static byte[] imageKeys() throws Exception {
        DataSet keys = new DataSet();
        keys.setString(0x00080052, VR.CS, "IMAGE");
        keys.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        keys.setString(Tag.SeriesInstanceUID, VR.UI, SERIES);
        keys.setString(Tag.SOPInstanceUID, VR.UI, "");
        return DicomWriter.encode(keys, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    @Order(2)
    @Timeout(120)
    void findReturnsEveryInstanceAcrossIndexPages() throws Exception {
        try (TestPeer peer = new TestPeer(archive.port)) {
            peer.associate(TestPeer.pc(1, SopClass.STUDY_ROOT_QR_FIND, TestPeer.IMPLICIT));
            peer.sendMessage(1, Requests.find(9, SopClass.STUDY_ROOT_QR_FIND), imageKeys(), 16000);
            Set<String> found = new HashSet<>();
            while (true) {
                TestPeer.Message m = peer.readMessage();
                assertEquals(9, m.command().getUS(Tag.MessageIDBeingRespondedTo));
                if (!Status.isPending(m.command().status())) {
                    assertEquals(Status.SUCCESS, m.command().status());
                    break;
                }
                found.add(new dev.stratus.codec.DicomReader(m.dataSet()).readDataSet(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                        dev.stratus.codec.ReadOptions.ALL).getString(Tag.SOPInstanceUID));
            }
            assertEquals(SOPS, found);
            peer.release();
        }
    }

    @Test
    @Order(3)
    @Timeout(120)
    void cancelStopsTheResponses() throws Exception {
        try (TestPeer peer = new TestPeer(archive.port)) {
            peer.associate(TestPeer.pc(1, SopClass.STUDY_ROOT_QR_FIND, TestPeer.IMPLICIT));
            peer.sendMessage(1, Requests.find(5, SopClass.STUDY_ROOT_QR_FIND), imageKeys(), 16000);
            peer.sendMessage(1, Requests.cancel(5), null, 16000);
            int pending = 0;
            while (true) {
                TestPeer.Message m = peer.readMessage();
                if (!Status.isPending(m.command().status())) {
                    assertEquals(Status.CANCEL, m.command().status());
                    break;
                }
                pending++;
            }
            assertTrue(pending < N, pending + " pending responses before the cancel took effect");
            // The association goes on: a C-CANCEL for nothing outstanding is ignored, a new request is answered.
            peer.sendMessage(1, Requests.cancel(5), null, 16000);
            peer.sendMessage(1, Requests.find(6, SopClass.STUDY_ROOT_QR_FIND), imageKeys(), 16000);
            int more = 0;
            TestPeer.Message m;
            while (Status.isPending((m = peer.readMessage()).command().status())) more++;
            assertEquals(Status.SUCCESS, m.command().status());
            assertEquals(N, more);
            peer.release();
        }
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }
}
