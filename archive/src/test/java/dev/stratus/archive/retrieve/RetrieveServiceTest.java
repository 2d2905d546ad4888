package dev.stratus.archive.retrieve;

import dev.stratus.archive.Archive;
import dev.stratus.archive.ingest.IngestServiceTest;
import dev.stratus.codec.Uids;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A response lists its instances, then reads their blobs: an instance replaced in between is read in its new version,
 * one deleted in between is left out (the fuzzer's metadata 500 while another request replaced the instance).
 */
class RetrieveServiceTest {
    @TempDir
    Path dir;

    @Test
    void anInstanceReplacedOrDeletedAfterItWasListedIsReadAnewOrLeftOut() throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(dir))) {
            String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
            archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(IngestServiceTest.instance(study, series, sop, "First^Version")), null, "test");
            List<StoredInstance> listed = archive.retrieve().find(TenantId.DEFAULT, study, series, null);

            archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(IngestServiceTest.instance(study, series, sop, "Second^Version")), null, "test");
            assertEquals("Second^Version", archive.retrieve().header(listed.getFirst()).dataSet().getString(0x00100010),
                    "the listed version's blob is gone; the new version is read");

            archive.delete().delete(TenantId.DEFAULT, study, null, null);
            assertThrows(RetrieveService.InstanceGone.class, () -> archive.retrieve().header(listed.getFirst()));
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            archive.seriesMetadata().documents().write(listed, "", false, json);
            assertEquals("[]", json.toString(StandardCharsets.UTF_8), "a deleted instance is left out of the metadata");
        }
    }
}
