package dev.stratus.dimse;

import dev.stratus.archive.ingest.IngestService;
import dev.stratus.index.Index;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.storage.LocalBlobStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** A real archive behind a DIMSE server on an ephemeral loopback port: embedded SQLite index and local blobs in a temporary directory. */
final class TestArchive implements AutoCloseable {
    final Path dir;
    final Index index;
    final LocalBlobStore store;
    final InProcessEventBus events = new InProcessEventBus();
    final IngestService ingest;
    final DimseSettings settings;
    final DimseServer server;
    final int port;

    TestArchive(Path dir) throws IOException {
        this(dir, s -> s, Authenticator.ACCEPT_ALL, null);
    }

    TestArchive(Path dir, UnaryOperator<DimseSettings> customize) throws IOException {
        this(dir, customize, Authenticator.ACCEPT_ALL, null);
    }

    /** @param wrapIndex replaces the index the services see (to simulate an outage), or null */
    TestArchive(Path dir, UnaryOperator<DimseSettings> customize, Authenticator auth, UnaryOperator<Index> wrapIndex) throws IOException {
        this.dir = dir;
        index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true);
        store = new LocalBlobStore(dir.resolve("blobs"));
        Index seen = wrapIndex == null ? index : wrapIndex.apply(index);
        ingest = new IngestService(seen, store, events, dir.resolve("spool"), true);
        settings = customize.apply(DimseSettings.defaults().withListen("127.0.0.1", 0)
                .withSpoolDir(dir.resolve("dimse-spool")).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)));
        server = new DimseServer(settings, ingest, seen, auth);
        port = server.start();
    }

    /** Waits (bounded) until every association has ended: no thread left behind. */
    void awaitNoAssociations() throws InterruptedException {
        for (int i = 0; i < 200 && server.openAssociations() > 0; i++) Thread.sleep(50);
        if (server.openAssociations() > 0) throw new AssertionError(server.openAssociations() + " associations still open");
    }

    /** Files left in the DIMSE spool directory (there should be none once associations have ended). */
    long spooledFiles() throws IOException {
        try (Stream<Path> s = Files.list(settings.spoolDir())) {
            return s.count();
        }
    }

    @Override
    public void close() {
        server.close();
        events.close();
        index.close();
    }
}
