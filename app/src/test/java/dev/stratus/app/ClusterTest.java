package dev.stratus.app;

import dev.stratus.codec.Uids;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster of the real executable (docs/deployment.md): two API nodes and a worker as processes of their own, on a
 * fresh PostgreSQL schema, an S3 service (s3proxy) and a KRaft Kafka broker ({@link Cluster}). What one API node
 * acknowledges, every other serves at once; the worker builds the metadata documents; every stored instance has
 * exactly one event (by eventId) on the stored topic. Then the faults: nodes, the worker, Kafka and S3 killed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    static final String JSON = "application/dicom+json";

    @TempDir
    static Path dir;
    Cluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = Cluster.start(dir, 2);
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    ArchiveClient node(int i) {
        return new ArchiveClient(cluster.api.get(i), dir.resolve("api-" + (i + 1)));
    }

    @Test
    @Order(1)
    void whatOneNodeAcknowledgesTheOtherServesAtOnceAndADeleteThroughTheOtherIsGoneFromTheFirst() throws Exception {
        ArchiveClient a = node(0), b = node(1);
        String study = Uids.generate();
        List<String> series = List.of(Uids.generate(), Uids.generate());
        Map<String, byte[]> instances = new LinkedHashMap<>(); // sop → bytes
        Map<String, String> seriesOf = new TreeMap<>();
        for (String s : series) {
            for (int i = 0; i < 2; i++) {
                String sop = Uids.generate();
                instances.put(sop, ArchiveClient.instance(study, s, sop, 2));
                seriesOf.put(sop, s);
            }
        }
        HttpResponse<String> stored = a.stow(ArchiveClient.multipart(instances.values().toArray(byte[][]::new)));
        assertEquals(200, stored.statusCode(), stored.body());

        // at once, through the other node: no wait, no retry (read-your-writes through the shared index)
        HttpResponse<String> found = b.get("/dicomweb/studies?StudyInstanceUID=" + study, JSON);
        assertEquals(200, found.statusCode(), found.body());
        assertTrue(found.body().contains(study) && found.body().contains("\"Value\":[4]"), "the study with its 4 instances: " + found.body());
        HttpResponse<String> listed = b.get("/dicomweb/studies/" + study + "/instances", JSON);
        for (String sop : instances.keySet()) assertTrue(listed.body().contains(sop), sop + " listed through B: " + listed.body());
        for (var e : instances.entrySet()) {
            assertArrayEquals(e.getValue(), b.retrieve(study, seriesOf.get(e.getKey()), e.getKey()), "retrieved through B byte for byte");
        }
        HttpResponse<String> metadata = b.get("/dicomweb/studies/" + study + "/series/" + series.getFirst() + "/metadata", JSON);
        assertEquals(200, metadata.statusCode(), metadata.body());
        assertEquals(2, metadata.body().split("\"00080018\"").length - 1, "two instances in the series metadata: " + metadata.body());

        // the worker, a process of its own, builds each series' document
        assertEquals(Set.copyOf(series), cluster.awaitDocuments(series, Duration.ofSeconds(60)), "every series has its document"
                + cluster.worker.logTail(30));
        // one event per stored instance (a redelivery would repeat its eventId; two ids would be two stores)
        Map<String, List<Long>> events = cluster.storedEvents(instances.keySet(), Duration.ofSeconds(60));
        for (String sop : instances.keySet()) assertEquals(1, distinct(events.get(sop)), "events of " + sop + ": " + events.get(sop));

        // a delete through B is gone through A at once
        HttpResponse<String> deleted = b.http.send(HttpRequest.newBuilder(URI.create(cluster.api.get(1).base + "/dicomweb/studies/" + study
                + "/series/" + series.getFirst())).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, deleted.statusCode(), deleted.body());
        String left = a.get("/dicomweb/studies/" + study + "/instances", JSON).body();
        for (var e : seriesOf.entrySet()) {
            assertEquals(!e.getValue().equals(series.getFirst()), left.contains(e.getKey()), "after the delete through B, A lists " + left);
        }
        String gone = instances.keySet().stream().filter(s -> seriesOf.get(s).equals(series.getFirst())).findFirst().orElseThrow();
        assertEquals(404, a.get("/dicomweb/studies/" + study + "/series/" + series.getFirst() + "/instances/" + gone,
                "multipart/related; type=\"application/dicom\"").statusCode(), "a deleted instance is not served by A");
    }

    static long distinct(List<Long> eventIds) {
        return eventIds == null ? 0 : eventIds.stream().distinct().count();
    }

    static List<String> sorted(Set<String> s) {
        return new ArrayList<>(new java.util.TreeSet<>(s));
    }
}
