package dev.stratus.archive;

import dev.stratus.archive.ingest.FailureReason;
import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.archive.metadata.MetadataWorker;
import dev.stratus.codec.ParseBudget;
import dev.stratus.codec.Uids;
import dev.stratus.index.RetryPolicy;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.stratus.archive.ingest.IngestServiceTest.instance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The composition root: what opening the archive does before it serves, and what its settings choose. */
class ArchiveTest {
    static final MetadataWorker.Settings QUICK = new MetadataWorker.Settings(Duration.ZERO, Duration.ZERO,
            Duration.ofMillis(20), RetryPolicy.doubling(3, Duration.ofMillis(10)), Duration.ofMinutes(1));

    @TempDir
    Path dir;

    @Test
    void openDeletesTheSpoolFilesAStoppedProcessLeftAndKeepsTheEmbeddedIndexInTheDataDirectory() throws Exception {
        Path leftover = Files.createDirectories(dir.resolve("spool")).resolve("ingest-left-by-a-crash.dcm");
        Files.write(leftover, new byte[100]);
        try (Archive archive = Archive.open(Archive.Settings.in(dir))) {
            assertFalse(Files.exists(leftover), "never acknowledged, so deleted at start");
            String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
            IngestOutcome o = archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(instance(study, series, sop, "Open^Ed")), null, "test");
            assertInstanceOf(IngestOutcome.Stored.class, o, o.toString());
            assertEquals(1, archive.index().listInstances(TenantId.DEFAULT, study, series).size());
            assertEquals(1, archive.store().list("tenants").size());
        }
        assertTrue(Files.exists(dir.resolve("index/stratus.sqlite")));
        assertTrue(Files.isDirectory(dir.resolve("blobs/tenants")));
    }

    @Test
    void anObjectOverTheParseBudgetOfTheSettingsIsRefused() throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(dir).withParseBudget(ParseBudget.DEFAULT.withMaxElements(3)))) {
            IngestOutcome o = archive.ingest().ingest(TenantId.DEFAULT,
                    new ByteArrayInputStream(instance(Uids.generate(), Uids.generate(), Uids.generate(), "Over^Budget")), null, "test");
            assertEquals(FailureReason.OUT_OF_RESOURCES, assertInstanceOf(IngestOutcome.Failed.class, o).reason());
            assertEquals(0, archive.store().list("").size());
        }
    }

    @Test
    void theMetadataWorkerIsBuiltWhenTheSettingsAskAndBuildsDocumentsOnceStarted() throws Exception {
        try (Archive none = Archive.open(Archive.Settings.in(dir.resolve("none")))) {
            assertTrue(none.metadataWorker().isEmpty());
        }
        try (Archive archive = Archive.open(Archive.Settings.in(dir.resolve("worker")).withMetadataWorker(QUICK))) {
            assertTrue(archive.metadataWorker().isPresent());
            String study = Uids.generate(), series = Uids.generate();
            archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(instance(study, series, Uids.generate(), "Wor^Ker")), null, "test");
            SeriesRef ref = new SeriesRef(TenantId.DEFAULT, study, series);
            archive.start();
            for (int i = 0; i < 250 && !archive.index().seriesState(ref).orElseThrow().metadataIsCurrent(); i++) Thread.sleep(20);
            assertTrue(archive.index().seriesState(ref).orElseThrow().metadataIsCurrent(), "built in the background once started");
        }
    }

    @Test
    void aFailedOpenNamesTheCauseAndLeavesTheDataDirectoryOpenableAgain() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Archive.open(Archive.Settings.in(dir).withIndex("jdbc:oracle:thin:@x", "a", "b", true)));
        assertTrue(e.getMessage().contains("unsupported index URL"), e.getMessage());
        try (Archive archive = Archive.open(Archive.Settings.in(dir))) {
            archive.index().checkReady();
        }
    }

    @Test
    void migrateIndexCreatesTheSchemaAndLeavesTheSpoolOfARunningServerAlone() throws Exception {
        Path inFlight = Files.createDirectories(dir.resolve("spool")).resolve("ingest-being-received.dcm");
        Files.write(inFlight, new byte[100]);
        Archive.migrateIndex(Archive.Settings.in(dir).withIndex(null, null, null, false));
        assertTrue(Files.exists(inFlight));
        try (Archive archive = Archive.open(Archive.Settings.in(dir).withIndex(null, null, null, false))) {
            assertEquals(0, archive.index().listInstances(TenantId.DEFAULT, Uids.generate(), null).size(),
                    "the schema is there, although these settings do not migrate on open");
        }
    }
}
