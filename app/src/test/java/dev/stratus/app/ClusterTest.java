package dev.stratus.app;

import dev.stratus.codec.Uids;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.stratus.index.sql.TestDatabases;
import dev.stratus.web.DicomWebEndToEndTest;
import dev.stratus.web.DicomWebEndpoint;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
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
 * exactly one event (by eventId) on the stored topic. Then the faults: nodes, the worker, Kafka and S3 killed; then,
 * on the same cluster (one start: it costs a minute or two in CI), web's whole end-to-end DICOMweb suite through both
 * API nodes in turn ({@link DicomWebSuiteThroughBothNodes}). Two nodes more on MariaDB, then on MongoDB, sharing the
 * broker and S3, run a smaller smoke (index variants, two JVMs each instead of a cluster each).
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

    /** Rounds of the kill tests: 1 in the build (CI cost), more with -Dstratus.cluster.rounds=N. */
    static final int ROUNDS = Integer.getInteger("stratus.cluster.rounds", 1);

    @Test
    @Order(2)
    void anApiNodeKilledMidStowLosesNothingItAcknowledgedAndEachInstanceHasOneEvent() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            Map<String, byte[]> acknowledged = new java.util.concurrent.ConcurrentHashMap<>(); // sop → bytes
            Map<String, String[]> where = new java.util.concurrent.ConcurrentHashMap<>();       // sop → study, series
            ServerProcess victim = cluster.api.getFirst();
            ArchiveClient a = node(0);
            java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    String study = Uids.generate(), series = Uids.generate();
                    while (!killed.get()) {
                        String sop = Uids.generate();
                        byte[] instance = ArchiveClient.instance(study, series, sop, 1);
                        try {
                            if (a.stow(ArchiveClient.multipart(instance)).statusCode() == 200) {
                                where.put(sop, new String[] {study, series});
                                acknowledged.put(sop, instance);
                            }
                        } catch (java.io.IOException cutOff) {
                            return; // the node died under the request: not acknowledged
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            while (acknowledged.size() < 20) Thread.sleep(20);
            victim.kill(); // SIGKILL while the three clients are sending
            killed.set(true);
            for (Thread t : clients) t.join();

            ArchiveClient b = node(1);
            for (var e : acknowledged.entrySet()) {
                String[] sw = where.get(e.getKey());
                assertArrayEquals(e.getValue(), b.retrieve(sw[0], sw[1], e.getKey()), "acknowledged by A, served by B, round " + round);
            }
            // A's relay may have died holding outbox rows: another node's relay takes them over after the lease
            Map<String, List<Long>> events = cluster.storedEvents(acknowledged.keySet(), Duration.ofSeconds(90));
            for (String sop : acknowledged.keySet()) {
                assertEquals(1, distinct(events.get(sop)), "round " + round + ", events of " + sop + ": " + events.get(sop));
            }
            cluster.api.set(0, cluster.startNode("api-1", "api"));
        }
    }

    @Test
    @Order(3)
    void aWorkerKilledWhileSeriesWaitLeavesNoSeriesWithoutItsDocumentOnceAWorkerRunsAgain() throws Exception {
        ArchiveClient a = node(0);
        for (int round = 1; round <= ROUNDS; round++) {
            List<String> claimedMaybe = storeSeries(a, 4);
            Thread.sleep(1_200); // past the quiet period: the worker is claiming and building these
            cluster.worker.kill();
            List<String> waiting = storeSeries(a, 4);
            Thread.sleep(2_500);
            assertEquals(Set.of(), cluster.awaitDocuments(waiting, Duration.ZERO), "no document is built while no worker runs");

            cluster.worker = cluster.startNode("worker", "worker");
            List<String> all = new ArrayList<>(claimedMaybe);
            all.addAll(waiting);
            // a series the killed worker held under its lease is built once the lease (10 s here) runs out
            assertEquals(Set.copyOf(all), cluster.awaitDocuments(all, Duration.ofSeconds(60)), "round " + round + cluster.worker.logTail(30));
        }
    }

    /** Stores {@code n} series of two instances, each in a study of its own, through the client; returns the series UIDs. */
    private static List<String> storeSeries(ArchiveClient client, int n) throws Exception {
        List<String> series = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String study = Uids.generate(), s = Uids.generate();
            HttpResponse<String> r = client.stow(ArchiveClient.multipart(ArchiveClient.instance(study, s, Uids.generate(), 1),
                    ArchiveClient.instance(study, s, Uids.generate(), 1)));
            assertEquals(200, r.statusCode(), r.body());
            series.add(s);
        }
        return series;
    }

    @Test
    @Order(4)
    void withKafkaDownStowsSucceedReadySaysDegradedAndTheEventsFlowWhenKafkaReturns() throws Exception {
        ArchiveClient a = node(0);
        cluster.kafka.kill();
        String study = Uids.generate(), series = Uids.generate();
        List<String> sops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String sop = Uids.generate();
            HttpResponse<String> r = a.stow(ArchiveClient.multipart(ArchiveClient.instance(study, series, sop, 1)));
            assertEquals(200, r.statusCode(), "a STOW needs no Kafka: " + r.body());
            sops.add(sop);
        }
        // Whichever node's relay holds the waiting events, every node reads their age from the shared outbox.
        for (ArchiveClient node : List.of(a, node(1))) {
            HttpResponse<String> ready = awaitReady(node, "\"DEGRADED\"", Duration.ofSeconds(90));
            assertEquals(200, ready.statusCode(), "still ready (stores succeed): " + ready.body());
            assertTrue(ready.body().contains("\"events\":\"DEGRADED\""), "every node says events wait: " + ready.body());
        }

        cluster.kafka.start();
        Map<String, List<Long>> events = cluster.storedEvents(sops, Duration.ofSeconds(90));
        for (String sop : sops) assertEquals(1, distinct(events.get(sop)), "events of " + sop + " after Kafka returned: " + events.get(sop));
        assertTrue(awaitReady(a, "\"status\":\"UP\"", Duration.ofSeconds(60)).body().contains("\"status\":\"UP\""), "ready again");
    }

    @Test
    @Order(5)
    void withS3DownAStowAnswers503WithAReasonAndNothingHalfWrittenIsServed() throws Exception {
        ArchiveClient a = node(0), b = node(1);
        cluster.killS3();
        try {
            String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
            HttpResponse<String> r = a.stow(ArchiveClient.multipart(ArchiveClient.instance(study, series, sop, 1)));
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Retry-After").isPresent(), "says when to try again");
            assertFalse(r.body().isBlank(), "says why");
            assertEquals("[]", b.get("/dicomweb/studies?StudyInstanceUID=" + study, JSON).body(), "nothing indexed, through either node");
            assertEquals(404, b.get("/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop,
                    "multipart/related; type=\"application/dicom\"").statusCode());
            assertEquals(503, b.get("/health/ready", null).statusCode(), "not ready while its storage is unreachable");
        } finally {
            cluster.startS3();
        }
        assertEquals(200, awaitReady(b, "\"storage\":\"UP\"", Duration.ofSeconds(60)).statusCode(), "ready again when S3 is back");
        a.assertStillServes("S3 came back");
    }


    /**
     * Web's end-to-end DICOMweb suite (DicomWebEndToEndTest), every request sent to the next API node in turn through
     * a balancer ({@link RoundRobinClient}): a STOW through one node is searched and retrieved through the other at
     * once. Runs after the fault tests (JUnit runs a class's own tests before its nested classes), on the cluster they
     * left whole; each test starts on an emptied index and bucket, as each starts on a fresh archive in process.
     */
    @Nested
    class DicomWebSuiteThroughBothNodes extends DicomWebEndToEndTest {
        @Override
        protected DicomWebEndpoint open(Path unused) throws Exception {
            cluster.reset();
            return new ThroughBothNodes();
        }
    }

    /** The cluster as the suite sees it: the balancer's URL and client; the blobs in S3; the worker process. */
    private final class ThroughBothNodes implements DicomWebEndpoint {
        private final URI base = URI.create("http://dicomweb.cluster.test:8000");
        private final RoundRobinClient http = new RoundRobinClient(base, () -> cluster.api.stream().map(n -> n.base).toList());

        @Override
        public String base() {
            return base.toString();
        }

        @Override
        public java.net.http.HttpClient http() {
            return http;
        }

        @Override
        public List<String> blobs(String prefix) {
            return cluster.blobs(prefix);
        }

        @Override
        public void buildSeriesMetadata(String studyUid, String seriesUid) throws Exception {
            assertEquals(Set.of(seriesUid), cluster.awaitDocuments(List.of(seriesUid), Duration.ofSeconds(60)),
                    "the worker builds the quiet series" + cluster.worker.logTail(30));
        }

        @Override
        public void close() {
            http.close();
        }
    }

    @Test
    @Order(6)
    void onMariaDbWhatOneNodeStoresTheOtherServesAndTheWorkerBuildsEachSeriesDocument() throws Exception {
        TestDatabases.Fresh db = TestDatabases.freshMariaDbDatabase();
        try (Cluster.Variant v = cluster.startVariant("mariadb", db.url(), db.user(), db.password())) {
            storeThroughOneServeThroughTheOther(v);
        } finally {
            db.drop().run();
        }
    }

    @Test
    @Order(7)
    void onMongoDbWhatOneNodeStoresTheOtherServesAndTheWorkerBuildsEachSeriesDocument() throws Exception {
        // mongo-java-server (in memory, in this JVM) stands for a MongoDB server: both nodes reach it over the wire protocol
        MongoServer mongo = new MongoServer(new MemoryBackend().version(ServerVersion.MONGO_5_0));
        try {
            mongo.bind("127.0.0.1", 0);
            String url = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/stratus_cluster";
            try (Cluster.Variant v = cluster.startVariant("mongodb", url, null, null)) {
                storeThroughOneServeThroughTheOther(v);
            }
        } finally {
            mongo.shutdownNow();
        }
    }

    /**
     * The smoke of an index variant: two series STOWed through the API node are found and retrieved byte for byte
     * through the other at once; the worker builds both series' documents (their SeriesMetadataBuilt events); each
     * instance has one InstanceStored event on the variant's topic.
     */
    private void storeThroughOneServeThroughTheOther(Cluster.Variant v) throws Exception {
        ArchiveClient a = new ArchiveClient(v.api(), dir.resolve(v.name() + "-api"));
        ArchiveClient b = new ArchiveClient(v.apiAndWorker(), dir.resolve(v.name() + "-node"));
        String study = Uids.generate();
        List<String> series = List.of(Uids.generate(), Uids.generate());
        Map<String, byte[]> instances = new LinkedHashMap<>();
        Map<String, String> seriesOf = new TreeMap<>();
        for (String s : series) {
            for (int i = 0; i < 2; i++) {
                String sop = Uids.generate();
                instances.put(sop, ArchiveClient.instance(study, s, sop, 1));
                seriesOf.put(sop, s);
            }
        }
        HttpResponse<String> stored = a.stow(ArchiveClient.multipart(instances.values().toArray(byte[][]::new)));
        assertEquals(200, stored.statusCode(), stored.body());
        HttpResponse<String> found = b.get("/dicomweb/studies?StudyInstanceUID=" + study, JSON);
        assertTrue(found.body().contains(study) && found.body().contains("\"Value\":[4]"), v.name() + ": the study with its 4 instances: " + found.body());
        for (var e : instances.entrySet()) {
            assertArrayEquals(e.getValue(), b.retrieve(study, seriesOf.get(e.getKey()), e.getKey()), v.name() + ": retrieved through the other node");
        }
        Map<String, List<Long>> built = cluster.events(v.stateTopic(), "SeriesMetadataBuilt", "seriesInstanceUid", series, Duration.ofSeconds(60));
        assertTrue(built.keySet().containsAll(series), v.name() + ": each series' document is built: " + built.keySet() + v.apiAndWorker().logTail(30));
        Map<String, List<Long>> events = cluster.events(v.storedTopic(), "InstanceStored", "sopInstanceUid", instances.keySet(), Duration.ofSeconds(60));
        for (String sop : instances.keySet()) assertEquals(1, distinct(events.get(sop)), v.name() + ": events of " + sop + ": " + events.get(sop));
    }

    /** /health/ready, asked until its body holds {@code text} or {@code patience} passed; the last answer. */
    private static HttpResponse<String> awaitReady(ArchiveClient client, String text, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        HttpResponse<String> r;
        do {
            r = client.get("/health/ready", null);
            if (r.body().contains(text)) return r;
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return r;
    }

    static long distinct(List<Long> eventIds) {
        return eventIds == null ? 0 : eventIds.stream().distinct().count();
    }

    static List<String> sorted(Set<String> s) {
        return new ArrayList<>(new java.util.TreeSet<>(s));
    }
}
