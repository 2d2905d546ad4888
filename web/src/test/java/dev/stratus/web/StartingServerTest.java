package dev.stratus.web;

import dev.stratus.archive.Archive;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stratus serve listens while its archive opens (issue 20): until the archive is there, a client is told to come back
 * (503 with Retry-After), never 500, and an orchestrator sees a live process that is not ready yet.
 */
class StartingServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void beforeTheArchiveIsOpenRequestsAre503AndReadinessWaitsThenEverythingAnswers(@TempDir Path dir) throws Exception {
        AtomicReference<Archive> opened = new AtomicReference<>();
        WebSettings settings = new WebSettings("127.0.0.1", 0, List.of(), t -> WebSettings.TenantOptions.DEFAULT);
        try (Archive archive = Archive.open(Archive.Settings.in(dir));
             DicomWebServer server = new DicomWebServer(settings, opened::get, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
             ProbeServer probes = new ProbeServer(settings, opened::get, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            String base = "http://127.0.0.1:" + server.start();
            String probeBase = "http://127.0.0.1:" + probes.start();

            assertEquals(200, get(base + "/health/live").statusCode(), "alive while starting");
            assertEquals(200, get(base + "/metrics").statusCode(), "metrics while starting");
            for (String path : List.of("/health/ready", "/dicomweb/studies", "/dicomweb/studies/1.2.3/metadata",
                    "/api/studies/1.2.3/archive.zip")) {
                HttpResponse<String> r = get(base + path);
                assertEquals(503, r.statusCode(), path + ": " + r.body());
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(""), path);
                assertTrue(r.body().contains("starting"), path + ": " + r.body());
            }
            HttpResponse<String> stow = http.send(HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies"))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=x")
                    .POST(HttpRequest.BodyPublishers.ofString("--x--\r\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, stow.statusCode(), stow.body());
            assertEquals(200, get(probeBase + "/health/live").statusCode());
            assertEquals(503, get(probeBase + "/health/ready").statusCode());

            opened.set(archive);
            assertEquals(200, get(base + "/health/ready").statusCode());
            assertEquals(200, get(probeBase + "/health/ready").statusCode());
            int studies = get(base + "/dicomweb/studies").statusCode();
            assertTrue(studies == 200 || studies == 204, "QIDO answers once open: " + studies);
            int zip = get(base + "/api/studies/1.2.3/archive.zip").statusCode();
            assertTrue(zip != 503 && zip < 500, "the download answers once open: " + zip);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
