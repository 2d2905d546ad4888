package dev.stratus.app;

import dev.stratus.archive.Archive;
import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.codec.Uids;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.stratus.app.CommandLineContractTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `stratus check`: a data directory damaged on purpose, each damage found, and `--repair` mending what it says it mends. */
class CheckCommandTest {
    private final String study = Uids.generate(), series = Uids.generate();

    private List<StoredInstance> storeThree(Path data) throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(data))) {
            for (int i = 0; i < 3; i++) {
                IngestOutcome o = archive.ingest().ingest(TenantId.DEFAULT,
                        new ByteArrayInputStream(ArchiveClient.instance(study, series, Uids.generate(), 1)), null, "test");
                assertInstanceOf(IngestOutcome.Stored.class, o);
            }
            return archive.index().listInstances(TenantId.DEFAULT, study, null);
        }
    }

    @Test
    void findsAMissingBlobATruncatedBlobAndAnOldOrphanAndRepairRemovesOnlyTheOldOrphan(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data"), blobs = data.resolve("blobs");
        List<StoredInstance> stored = storeThree(data);
        CommandLineContractTest.Run clean = run("check", "--data-dir", data.toString());
        assertEquals(0, clean.status(), clean.out() + clean.err());
        assertTrue(clean.out().contains("checked 3 instances, 1 series, 3 blobs"), clean.out());
        assertTrue(clean.out().contains("0 problems"), clean.out());

        Files.delete(blobs.resolve(stored.get(0).blobKey()));
        try (var ch = Files.newByteChannel(blobs.resolve(stored.get(1).blobKey()), StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        String oldKey = "tenants/default/studies/" + study + "/series/" + series + "/1.2.3.4_0a1b2c3d.dcm";
        String youngKey = "tenants/default/studies/" + study + "/series/" + series + "/1.2.3.5_0a1b2c3d.dcm";
        Path old = Files.write(Files.createDirectories(blobs.resolve(oldKey).getParent()).resolve("1.2.3.4_0a1b2c3d.dcm"), new byte[10]);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(48))));
        Path young = Files.write(blobs.resolve(youngKey), new byte[10]);

        CommandLineContractTest.Run found = run("check", "--data-dir", data.toString());
        assertEquals(1, found.status(), found.out() + found.err());
        assertTrue(found.out().contains("missing blob: instance " + stored.get(0).sopInstanceUid()), found.out());
        assertTrue(found.out().contains("wrong size: instance " + stored.get(1).sopInstanceUid()), found.out());
        assertTrue(found.out().contains("holds 100 bytes, the index says " + stored.get(1).blobSize()), found.out());
        assertTrue(found.out().contains("orphan: " + oldKey), found.out());
        assertFalse(found.out().contains(youngKey), "younger than the grace period: not judged\n" + found.out());
        assertTrue(found.out().contains("\n3 problems"), found.out());
        assertTrue(Files.exists(old), "a check without --repair changes nothing");

        CommandLineContractTest.Run repaired = run("check", "--repair", "--data-dir", data.toString());
        assertEquals(1, repaired.status(), "the missing and truncated blobs remain: " + repaired.out());
        assertTrue(repaired.out().contains("removed orphan: " + oldKey), repaired.out());
        assertTrue(repaired.out().contains("repaired 1 of 3 problems; 2 remain"), repaired.out());
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(young), "a young unreferenced blob may be about to be indexed");
    }

    @Test
    void aSeriesWhoseMetadataDocumentFailedIsReportedAndRepairQueuesItForTheWorker(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        storeThree(data);
        SeriesRef ref = new SeriesRef(TenantId.DEFAULT, study, series);
        try (Archive archive = Archive.open(Archive.Settings.in(data))) {
            long later = (System.currentTimeMillis() + 60_000) * 1000;
            assertEquals(1, archive.index().claimPendingSeries(later, 10, "w1", Duration.ofMinutes(1)).size());
            archive.index().metadataFailed(ref, "w1", "boom: the store refused the document", later, 1);
            assertEquals("FAILED", archive.index().seriesState(ref).orElseThrow().metadataStatus());
        }
        CommandLineContractTest.Run found = run("check", "--data-dir", data.toString());
        assertEquals(1, found.status(), found.out() + found.err());
        assertTrue(found.out().contains("stale metadata: series " + series + " (tenant default, study " + study
                + "): its metadata document failed to build: boom: the store refused the document"), found.out());

        CommandLineContractTest.Run repaired = run("check", "--repair", "--data-dir", data.toString());
        assertEquals(0, repaired.status(), repaired.out() + repaired.err());
        assertTrue(repaired.out().contains("queued metadata rebuild: series " + series), repaired.out());
        try (Archive archive = Archive.open(Archive.Settings.in(data))) {
            SeriesState s = archive.index().seriesState(ref).orElseThrow();
            assertEquals("PENDING", s.metadataStatus());
            assertEquals(0, s.metadataRetries());
        }
    }

    @Test
    void aDataDirectoryThatDoesNotExistIsSaidSo(@TempDir Path dir) {
        CommandLineContractTest.Run r = run("check", "--data-dir", dir.resolve("typo").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("no archive in"), r.err());
        assertFalse(Files.exists(dir.resolve("typo")), "nothing created where nothing was");
    }
}
