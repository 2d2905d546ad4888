package dev.stratus.archive;

import dev.stratus.codec.Uids;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.stratus.archive.ingest.IngestServiceTest.instance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a crash leaves in storage is swept once old enough; whatever an index row refers to, or is not ours, stays. */
class OrphanSweepTest {
    @TempDir
    Path dir;

    @Test
    void unreferencedInstanceBlobsAndMetadataDocumentsPastTheGraceAreRemovedAndNothingElse() throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(dir).withMetadataWorker(ArchiveTest.QUICK))) {
            TenantId tenant = TenantId.DEFAULT;
            String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
            archive.ingest().ingest(tenant, new ByteArrayInputStream(instance(study, series, sop, "Kept^One")), null, "test");
            SeriesRef ref = new SeriesRef(tenant, study, series);
            archive.start();
            for (int i = 0; i < 250 && !archive.index().seriesState(ref).orElseThrow().metadataIsCurrent(); i++) Thread.sleep(20);
            String keptInstance = archive.index().findInstance(tenant, study, series, sop).orElseThrow().blobKey();
            String keptDocument = archive.index().seriesState(ref).orElseThrow().metadataDocumentKey();
            assertTrue(keptDocument != null, "the worker built the series document");

            List<String> orphans = List.of(
                    BlobKeys.instance(tenant, study, series, sop), // the same instance under another key: a replaced copy
                    BlobKeys.instance(tenant, study, Uids.generate(), Uids.generate()), // placed, never indexed
                    BlobKeys.seriesMetadata(tenant, study, series, 1), // an older document of the series
                    BlobKeys.seriesMetadata(tenant, Uids.generate(), Uids.generate(), 2)); // of a deleted series
            List<String> notOurs = List.of("tenants/default/notes/readme.txt", "elsewhere/x.dcm");
            for (String key : orphans) archive.store().put(key, new ByteArrayInputStream(new byte[] {1}));
            for (String key : notOurs) archive.store().put(key, new ByteArrayInputStream(new byte[] {2}));

            OrphanSweep sweep = new OrphanSweep(archive.store(), archive.index());
            assertEquals(new OrphanSweep.Result(6, 6, 0), sweep.run(Duration.ofMinutes(10), Instant.now()), "all young: kept");
            assertEquals(new OrphanSweep.Result(6, 0, 4), sweep.run(Duration.ofMinutes(10), Instant.now().plus(Duration.ofMinutes(11))));
            List<String> left = archive.store().list("").stream().sorted().toList();
            assertEquals(List.of("elsewhere/x.dcm", keptDocument, keptInstance, "tenants/default/notes/readme.txt").stream().sorted().toList(), left);
            assertThrows(IllegalArgumentException.class, () -> sweep.run(Duration.ofMinutes(-1), Instant.now()));
        }
    }
}
