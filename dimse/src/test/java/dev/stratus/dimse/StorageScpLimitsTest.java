package dev.stratus.dimse;

import dev.stratus.archive.ingest.IngestAdmission;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.message.Status;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** C-STOREs count against the same ingest budget as STOW-RS: beyond it, A700 "busy", and the association goes on. */
@Timeout(60)
class StorageScpLimitsTest {
    static final String CT = GeneratedCt.CT_IMAGE_STORAGE;

    @TempDir
    Path dir;

    private static byte[] ct(String sop) throws Exception {
        return DicomWriter.encode(GeneratedCt.ct(Uids.generate(), Uids.generate(), sop, "Busy^Modality", "BM1", 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void aCStoreBeyondTheIngestBudgetIsRefusedA700AfterTheQueueTimeAndTheNextOneIsStored() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            archive.ingest.admitting(new IngestAdmission(1, Duration.ofMillis(300)));
            String busy = Uids.generate(), later = Uids.generate();
            try (TestPeer peer = new TestPeer(archive.port)) {
                peer.associate(TestPeer.rq("TESTPEER", "STRATUS", 16384, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT)));
                CommandSet refused;
                try (IngestAdmission.Permit stowRunning = archive.ingest.admit()) { // a STOW-RS holds the only place
                    long start = System.nanoTime();
                    peer.sendMessage(1, Requests.store(1, CT, busy), ct(busy), 16000);
                    refused = peer.readMessage().command();
                    assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "refused after the queue time");
                }
                assertEquals(Status.OUT_OF_RESOURCES, refused.status());
                assertTrue(refused.getString(Tag.ErrorComment).startsWith("busy"), refused.getString(Tag.ErrorComment));

                peer.sendMessage(1, Requests.store(2, CT, later), ct(later), 16000);
                assertEquals(Status.SUCCESS, peer.readMessage().command().status(), "the association goes on, the place is free again");
                peer.release();
            }
            assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, busy).isEmpty(), "the refused one was not stored");
            assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, later).isPresent());
            assertEquals(0, archive.ingest.admission().running());
            archive.awaitNoAssociations();
            assertEquals(0, archive.spooledFiles(), "the refused data set's spool file is gone");
        }
    }
}
