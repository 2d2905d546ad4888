package dev.stratus.archive;

import dev.stratus.archive.ingest.IngestBatch;
import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.archive.retrieve.InstanceHeader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.Uids;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import dev.stratus.storage.S3Options;
import dev.stratus.storage.StorageUnavailableException;
import dev.stratus.storage.s3.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static dev.stratus.archive.ingest.IngestServiceTest.instance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The archive with its blobs in S3 (s3proxy in process), opened from a storage URL as the server opens it. */
class S3ArchiveTest {
    @TempDir
    Path dir;

    private Archive.Settings onS3(String url, S3Options options) {
        return Archive.Settings.in(dir).withStorage(url, options, true);
    }

    @Test
    void instancesAreStoredAsObjectsAndRetrievedWholeByHeaderAndByRange() throws Exception {
        String bucket = TestS3.freshBucket();
        String study = Uids.generate(), series = Uids.generate(), small = Uids.generate(), large = Uids.generate();
        byte[] smallBytes = instance(study, series, small, "Small^One");
        byte[] largeBytes = instance(study, series, large, "Large^One", 12 << 20); // a multipart upload of 8 MiB parts
        try (Archive archive = Archive.open(onS3("s3://" + bucket + "/archive", TestS3.options()))) {
            assertFalse(archive.store() instanceof dev.stratus.storage.LocalBlobStore, "chosen by the storage URL");
            List<IngestOutcome> outcomes;
            try (IngestBatch batch = archive.ingest().batch(TenantId.DEFAULT, study, "test")) {
                batch.add(new ByteArrayInputStream(largeBytes));
                batch.add(new ByteArrayInputStream(smallBytes));
                outcomes = batch.commit();
            }
            for (IngestOutcome o : outcomes) assertInstanceOf(IngestOutcome.Stored.class, o, o.toString());

            List<S3Object> objects = TestS3.admin().listObjectsV2(b -> b.bucket(bucket)).contents();
            assertEquals(2, objects.size(), objects.toString());
            for (S3Object o : objects) assertTrue(o.key().startsWith("archive/tenants/default/studies/" + study + "/"), o.key());
            assertFalse(Files.exists(dir.resolve("blobs")), "no local blob directory");
            try (var spool = Files.list(dir.resolve("spool"))) {
                assertEquals(0, spool.count(), "spool files are consumed by the upload");
            }

            StoredInstance stored = archive.retrieve().find(TenantId.DEFAULT, study, series, large).getFirst();
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            archive.retrieve().writeInstance(stored, null, whole);
            assertArrayEquals(largeBytes, whole.toByteArray());

            InstanceHeader header = archive.retrieve().header(stored);
            assertEquals("Large^One", header.dataSet().getString(0x00100010));
            assertEquals(large, header.dataSet().getString(Tag.SOPInstanceUID));
            long pixels = header.pixelData().offset();
            try (InputStream frame = archive.retrieve().openRange(stored, pixels + 1000, 4096)) {
                assertArrayEquals(Arrays.copyOfRange(largeBytes, (int) pixels + 1000, (int) pixels + 5096), frame.readAllBytes());
            }
            archive.store().checkReady();
        }
    }

    @Test
    void whenS3IsDownAStoreIsRefusedWithTheReasonAndNothingIsIndexedOrLeftInTheSpool() throws Exception {
        TestS3.endpoint(); // credentials in place: what fails is the connection
        S3Options down = new S3Options(URI.create("http://127.0.0.1:1"), "eu-central-1", true);
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        try (Archive archive = Archive.open(onS3("s3://archive-bucket", down))) { // opens: the outage shows per call
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> archive.ingest().ingest(
                    TenantId.DEFAULT, new ByteArrayInputStream(instance(study, series, sop, "Down^Time")), null, "test"));
            assertTrue(e.getMessage().startsWith("object storage unavailable: could not store tenants/default/studies/" + study), e.getMessage());
            assertTrue(e.getMessage().contains("s3://archive-bucket at http://127.0.0.1:1"), e.getMessage());
            assertTrue(archive.index().findInstance(TenantId.DEFAULT, study, series, sop).isEmpty(), "nothing indexed");
            try (var spool = Files.list(dir.resolve("spool"))) {
                assertEquals(0, spool.count(), "nothing left in the spool");
            }
            assertThrows(StorageUnavailableException.class, () -> archive.store().checkReady());
            assertEquals(null, archive.ingest().space().fullReason(), "an outage is not a full disk");
        }
    }

    @Test
    void theSweepRemovesObjectsNoIndexRowRefersToAndKeepsTheReferencedOnes() throws Exception {
        String bucket = TestS3.freshBucket();
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        try (Archive archive = Archive.open(onS3("s3://" + bucket, TestS3.options()))) {
            archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(instance(study, series, sop, "Kept^One")), null, "test");
            String kept = archive.index().findInstance(TenantId.DEFAULT, study, series, sop).orElseThrow().blobKey();
            String orphan = BlobKeys.instance(TenantId.DEFAULT, study, series, Uids.generate()); // placed, never indexed
            archive.store().put(orphan, new ByteArrayInputStream(new byte[] {1}));

            assertEquals(new OrphanSweep.Result(2, 2, 0), archive.sweepOrphans(Duration.ofHours(1)), "both are young");
            OrphanSweep sweep = new OrphanSweep(archive.store(), archive.index());
            assertEquals(new OrphanSweep.Result(2, 0, 1), sweep.run(Duration.ofMinutes(1), Instant.now().plus(Duration.ofMinutes(2))));
            assertEquals(List.of(kept), archive.store().list(""));
        }
    }
}
