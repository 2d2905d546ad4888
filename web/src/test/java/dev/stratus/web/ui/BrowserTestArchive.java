package dev.stratus.web.ui;

import dev.stratus.archive.Archive;
import dev.stratus.web.DicomWebServer;
import dev.stratus.web.WebSettings;
import dev.stratus.web.auth.Authorization;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A real archive on an ephemeral port for the browser tests, opened as the server opens it (Archive.open: embedded
 * SQLite, local blobs), with the viewer directory a test gives (null: none installed).
 */
final class BrowserTestArchive implements AutoCloseable {
    private final Archive archive;
    private final DicomWebServer server;
    /** http://127.0.0.1:PORT, without a trailing slash. */
    final String base;
    final HttpClient http = HttpClient.newHttpClient();

    /** Sent as the bearer token of {@link #stow} when authorization is on. */
    String token;

    BrowserTestArchive(Path dir, Path viewerDir) throws IOException {
        this(dir, viewerDir, Authorization.OFF);
    }

    BrowserTestArchive(Path dir, Path viewerDir, Authorization authorization) throws IOException {
        archive = Archive.open(Archive.Settings.in(dir));
        WebSettings settings = new WebSettings("127.0.0.1", 0, List.of(), t -> WebSettings.TenantOptions.DEFAULT).withViewerDir(viewerDir)
                .withAuthorization(authorization);
        server = new DicomWebServer(settings, archive, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        base = "http://127.0.0.1:" + server.start();
    }

    /** STOW-RS of Part 10 files to a DICOMweb root ("/dicomweb" or "/tenants/t/dicomweb"); the status. */
    int stow(String root, List<byte[]> files) throws IOException, InterruptedException {
        String boundary = "b0undary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] f : files) {
            body.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(f);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + root + "/studies"))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        archive.close();
    }
}
