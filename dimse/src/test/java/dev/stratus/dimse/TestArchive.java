package dev.stratus.dimse;

import dev.stratus.archive.Archive;
import dev.stratus.archive.audit.AuditLog;
import dev.stratus.dimse.tls.DimseTls;
import dev.stratus.archive.ingest.IngestService;
import dev.stratus.index.Index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real archive behind a DIMSE server on an ephemeral loopback port, opened as the server opens it (Archive.open):
 * embedded SQLite index and local blobs in a temporary directory unless the test's archive settings say otherwise.
 */
final class TestArchive implements AutoCloseable {
    final Path dir;
    final Archive archive;
    final Index index;
    final IngestService ingest;
    final DimseSettings settings;
    final DimseServer server;
    final int port;
    final int tlsPort; // -1 without TLS

    TestArchive(Path dir) throws IOException {
        this(dir, s -> s, Authenticator.ACCEPT_ALL, a -> a);
    }

    TestArchive(Path dir, UnaryOperator<DimseSettings> customize) throws IOException {
        this(dir, customize, Authenticator.ACCEPT_ALL, a -> a);
    }

    /** @param archiveSettings changes to the archive's settings (its index, parse budget) a test is about */
    TestArchive(Path dir, UnaryOperator<DimseSettings> customize, Authenticator auth, UnaryOperator<Archive.Settings> archiveSettings)
            throws IOException {
        this(dir, customize, auth, archiveSettings, null, AuditLog.OFF);
    }

    /** With a TLS port and an audit trail (the caller closes the trail after this archive). */
    TestArchive(Path dir, UnaryOperator<DimseSettings> customize, DimseTls tls, AuditLog audit) throws IOException {
        this(dir, customize, Authenticator.ACCEPT_ALL, a -> a, tls, audit);
    }

    private TestArchive(Path dir, UnaryOperator<DimseSettings> customize, Authenticator auth, UnaryOperator<Archive.Settings> archiveSettings,
                        DimseTls tls, AuditLog audit) throws IOException {
        this.dir = dir;
        archive = Archive.open(archiveSettings.apply(Archive.Settings.in(dir)));
        index = archive.index();
        ingest = archive.ingest();
        settings = customize.apply(DimseSettings.defaults().withListen("127.0.0.1", 0)
                .withSpoolDir(dir.resolve("dimse-spool")).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)));
        server = new DimseServer(settings, archive, auth, tls, audit);
        port = server.start();
        tlsPort = server.tlsPort();
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
        archive.close();
    }
}
