package dev.stratus.web;

import dev.stratus.archive.Archive;
import dev.stratus.pipeline.EventTopics;
import dev.stratus.pipeline.KafkaEventBus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With the Kafka event log unreachable, STOW still succeeds and /health/ready stays ready but says DEGRADED. */
class EventLogOutageTest {
    @TempDir
    Path dir;

    @Test
    void stowSucceedsWhileKafkaIsUnreachableAndReadinessSaysDegradedWithTheReason() throws Exception {
        // Nothing listens on port 9: the archive's events wait in the index's outbox.
        Archive.Settings settings = Archive.Settings.in(dir)
                .withKafka(new KafkaEventBus.Settings("127.0.0.1:9", EventTopics.DEFAULTS, Duration.ofSeconds(2), Duration.ofSeconds(20)));
        try (Archive archive = Archive.open(settings).start();
             DicomWebServer server = new DicomWebServer(new WebSettings("127.0.0.1", 0, List.of("*"), t -> WebSettings.TenantOptions.DEFAULT),
                     archive, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            String base = "http://127.0.0.1:" + server.start();
            HttpClient http = HttpClient.newHttpClient();
            Multipart body = new Multipart();
            for (byte[] instance : TestObjects.series("1.2.826.0.1.3680043.10.1", "1.2.826.0.1.3680043.10.1.1", 2, "Doe^Jane", "P1")) {
                body.part(instance);
            }
            HttpResponse<String> stow = http.send(HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies"))
                    .header("Content-Type", body.end().contentType()).header("Accept", "application/dicom+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stow.statusCode(), stow.body());

            HttpResponse<String> ready;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            do {
                Thread.sleep(100);
                ready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            } while (!ready.body().contains("DEGRADED") && System.nanoTime() < deadline);
            assertEquals(200, ready.statusCode(), "still ready: stores succeed");
            assertTrue(ready.body().contains("\"status\":\"DEGRADED\"") && ready.body().contains("\"events\":\"DEGRADED\"")
                    && ready.body().contains("eventsReason") && ready.body().contains("\"eventsWaiting\":2"), ready.body());
        }
    }
}
