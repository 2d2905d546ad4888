package dev.stratus.web.client;

import dev.stratus.archive.Archive;
import dev.stratus.web.DicomWebServer;
import dev.stratus.web.WebSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A real archive on an ephemeral port for the client tests, opened as the server opens it (Archive.open: embedded
 * SQLite index, local blob store; series metadata answered live, as no worker builds documents), reachable from this package.
 */
final class ClientTestArchive implements AutoCloseable {
    private final Archive archive;
    private final DicomWebServer server;
    /** http://127.0.0.1:PORT, without a trailing slash. */
    final String base;

    ClientTestArchive(Path dir) throws IOException {
        archive = Archive.open(Archive.Settings.in(dir));
        WebSettings settings = new WebSettings("127.0.0.1", 0, List.of("*"), t -> WebSettings.TenantOptions.DEFAULT);
        server = new DicomWebServer(settings, archive, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        base = "http://127.0.0.1:" + server.start();
    }

    @Override
    public void close() {
        server.close();
        archive.close();
    }
}
