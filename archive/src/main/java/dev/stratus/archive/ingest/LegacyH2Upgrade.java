package dev.stratus.archive.ingest;

import dev.stratus.index.Index;
import dev.stratus.index.sql.EmbeddedSqlite;
import dev.stratus.index.sql.LegacyH2Index;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.FileSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Moves a data directory whose embedded index is H2 (versions before docs/decisions/0002) to SQLite, once, before
 * the archive opens its index. The H2 rows are copied into a new file, then the ingest journal pages left beside
 * them are replayed into it: their stores were acknowledged, and H2 may have lost their commits. Only when that file
 * is complete and forced does it become the index, so a crash at any step restarts the upgrade from the H2 copy,
 * which is kept (with the journal) in index/h2-before-sqlite/ for the operator to delete.
 */
public final class LegacyH2Upgrade {
    private static final Logger log = LoggerFactory.getLogger(LegacyH2Upgrade.class);
    static final String KEPT = "h2-before-sqlite";

    private LegacyH2Upgrade() {}

    /** Upgrades {@code dataDir} if it holds an H2 index or journal; returns whether it did anything. */
    public static boolean runIfNeeded(Path dataDir, BlobStore store) throws IOException {
        Path h2 = LegacyH2Index.file(dataDir);
        Path journal = dataDir.resolve(LegacyIngestJournal.DIRECTORY);
        if (!Files.exists(h2) && !Files.isDirectory(journal)) return false;
        Path index = EmbeddedSqlite.file(dataDir);
        if (!Files.exists(index)) build(dataDir, store, h2, journal, index);
        keepAside(dataDir, h2, journal); // also after a crash between the rename of the new index and this
        return true;
    }

    private static void build(Path dataDir, BlobStore store, Path h2, Path journal, Path index) throws IOException {
        long started = System.nanoTime();
        Path partial = index.resolveSibling("upgrade-from-h2.sqlite");
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) Files.deleteIfExists(partial.resolveSibling(partial.getFileName() + suffix));
        long copied = 0;
        if (Files.exists(h2)) {
            log.info("moving the embedded index from H2 ({}) to SQLite: copying its rows", h2);
            copied = LegacyH2Index.copy(dataDir, partial);
        } else {
            SqlIndex.open(EmbeddedSqlite.url(partial), null, null, true).close();
        }
        int replayed = 0, pages = 0;
        try (Index target = SqlIndex.open(EmbeddedSqlite.url(partial), null, null, false)) {
            LegacyJournalReplay replay = new LegacyJournalReplay(target, store);
            for (LegacyIngestJournal.Page page : LegacyIngestJournal.read(journal)) {
                if (!page.complete()) {
                    log.warn("ingest journal page {} was not completely written (its store was not acknowledged): skipped", page.file());
                    continue;
                }
                replayed += replay.replay(page.entries());
                pages++;
            }
        }
        LegacyH2Index.selfContained(partial);
        FileSync.force(partial);
        Files.move(partial, index, StandardCopyOption.ATOMIC_MOVE);
        FileSync.forceDirectory(index.getParent());
        log.info("the embedded index is now SQLite ({}): {} instances copied from H2, {} journal pages replayed ({} instances indexed again) in {} ms",
                index, copied, pages, replayed, (System.nanoTime() - started) / 1_000_000);
    }

    private static void keepAside(Path dataDir, Path h2, Path journal) throws IOException {
        Path kept = Files.createDirectories(h2.resolveSibling(KEPT));
        if (Files.exists(h2)) Files.move(h2, kept.resolve(h2.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        if (Files.isDirectory(journal)) Files.move(journal, kept.resolve(journal.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        FileSync.forceDirectory(kept);
        FileSync.forceDirectory(h2.getParent());
        FileSync.forceDirectory(dataDir);
        log.info("the H2 index and its ingest journal were kept in {}: delete that directory once the archive serves as expected", kept);
    }
}
