package dev.stratus.app;

import dev.stratus.index.sql.TestDatabases;
import dev.stratus.pipeline.KafkaBroker;
import dev.stratus.storage.s3.TestS3;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A whole Stratus cluster on this machine, every piece a process of its own: a Kafka broker in KRaft mode
 * ({@link KafkaBroker}), an S3 service ({@link S3Service}: s3proxy over a directory), a fresh schema in the PostgreSQL
 * server at 127.0.0.1:5432, and nodes of the real executable ({@code stratus serve --roles ...}) sharing them:
 * {@code apiNodes} with the api role and one with the worker role. Used by the cluster tests and scripts/cluster.
 * Timings are short (a series quiet for 1 s is built, leases of 10 to 20 s) so that faults resolve within a test.
 */
final class Cluster implements AutoCloseable {
    static final String BUCKET = "stratus";
    static final String STORED_TOPIC = "storage_queue";
    static final String STATE_TOPIC = "dicom_state_queue";
    /** Small heaps and the quick compiler: five JVMs share a small machine. */
    private static final String[] NODE_JVM = {"-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};

    final Path dir;
    final KafkaBroker kafka;
    final TestDatabases.Fresh database;
    final int s3Port;
    final List<ServerProcess> api = new ArrayList<>();
    ServerProcess worker;
    private Process s3;
    private S3Client s3Admin;
    private int starts;

    private Cluster(Path dir, KafkaBroker kafka, TestDatabases.Fresh database) {
        this.dir = dir;
        this.kafka = kafka;
        this.database = database;
        this.s3Port = freePort();
    }

    /**
     * Starts every piece; a missing PostgreSQL server or a broker that cannot start skips the calling test (fails it
     * under CI=true). Returns when every node answers /health/ready.
     */
    static Cluster start(Path dir, int apiNodes) throws Exception {
        TestDatabases.Fresh database = TestDatabases.freshPostgresSchema();
        KafkaBroker kafka = KafkaBroker.startOrSkip(dir.resolve("kafka"));
        Cluster cluster = new Cluster(dir, kafka, database);
        try {
            kafka.createTopics(3, STORED_TOPIC, STATE_TOPIC);
            cluster.startS3();
            cluster.api.add(cluster.startNode("api-1", "api")); // alone first: it creates the schema
            List<String> names = new ArrayList<>();
            for (int i = 2; i <= apiNodes; i++) names.add("api-" + i);
            names.add("worker");
            Map<String, java.util.concurrent.Future<ServerProcess>> starting = new LinkedHashMap<>();
            try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (String name : names) starting.put(name, threads.submit(() -> cluster.startNode(name, name.equals("worker") ? "worker" : "api")));
            }
            Exception failed = null;
            for (var s : starting.entrySet()) { // every node that started is the cluster's, to be stopped with it
                try {
                    ServerProcess node = s.getValue().get();
                    if (s.getKey().equals("worker")) cluster.worker = node;
                    else cluster.api.add(node);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (failed == null) failed = e.getCause() instanceof Exception x ? x : new IllegalStateException(s.getKey(), e.getCause());
                }
            }
            if (failed != null) throw failed;
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /** A node of the real executable with these roles, its data directory and log under the cluster's directory. */
    ServerProcess startNode(String name, String roles) throws Exception {
        String run = name + "-" + (++starts);
        List<String> jvm = new ArrayList<>(List.of(NODE_JVM));
        String logging = System.getProperty("logback.configurationFile"); // scripts/cluster: the nodes log as in production
        if (logging != null) jvm.add("-Dlogback.configurationFile=" + logging);
        return ServerProcess.start(dir.resolve(name), dir.resolve(run + ".log"), List.of("--roles", roles), environment(), jvm.toArray(String[]::new));
    }

    /** What every node is given: the shared index, bucket and broker (as STRATUS_* variables), S3 credentials, quick timings. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STRATUS_INDEX_URL", database.url());
        env.put("STRATUS_INDEX_USER", database.user());
        env.put("STRATUS_INDEX_PASSWORD", database.password());
        env.put("STRATUS_STORAGE_URL", "s3://" + BUCKET);
        env.put("STRATUS_STORAGE_S3_ENDPOINT", s3Endpoint());
        env.put("STRATUS_STORAGE_S3_PATH_STYLE", "true");
        env.put("AWS_ACCESS_KEY_ID", TestS3.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", TestS3.SECRET_KEY);
        env.put("STRATUS_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("STRATUS_KAFKA_DELIVERY_TIMEOUT_SECONDS", "5");
        env.put("STRATUS_KAFKA_OUTBOX_LEASE_SECONDS", "20");
        env.put("STRATUS_METADATA_QUIET_SECONDS", "1");
        env.put("STRATUS_METADATA_BUSY_QUIET_SECONDS", "1");
        env.put("STRATUS_METADATA_POLL_SECONDS", "0.5");
        env.put("STRATUS_METADATA_LEASE_SECONDS", "10");
        env.put("STRATUS_METADATA_RETRY_BASE_SECONDS", "1");
        env.put("STRATUS_SHUTDOWN_TIMEOUT_SECONDS", "2");
        env.put("STRATUS_HTTP_TRUSTED_PROXIES", "127.0.0.1"); // a balancer on this machine names the public URL (RoundRobinClient)
        return env;
    }

    String s3Endpoint() {
        return "http://127.0.0.1:" + s3Port;
    }

    /** Starts the S3 service (again: same port, same files) and waits until it says it is ready. */
    void startS3() throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), S3Service.class.getName(),
                String.valueOf(s3Port), dir.resolve("s3").toString(), BUCKET);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("s3 ready")) {
                s3 = p;
                Thread.ofVirtual().start(() -> drain(out)); // keep its pipe from filling
                return;
            }
            seen.append(line).append('\n');
        }
        p.waitFor(10, TimeUnit.SECONDS);
        throw new IOException("the S3 service exited before it was ready:\n" + seen);
    }

    /** SIGKILL of the S3 service: an outage of the object store. */
    void killS3() throws InterruptedException {
        if (s3 == null) return;
        s3.destroyForcibly();
        s3.waitFor(20, TimeUnit.SECONDS);
        s3 = null;
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discarded: s3proxy's request log
            }
        } catch (IOException closed) {
            // the process ended
        }
    }

    /**
     * Every InstanceStored event on the stored topic, read from its start: SOP Instance UID → the eventIds seen for it
     * (a redelivery repeats an eventId). Reads until every UID of {@code expected} has an event, or {@code patience} passed,
     * then one more second for late duplicates.
     */
    Map<String, List<Long>> storedEvents(Collection<String> expected, Duration patience) {
        return events(STORED_TOPIC, "InstanceStored", "sopInstanceUid", expected, patience);
    }

    /** The events of {@code type} on {@code topic}, from its start: the value of {@code field} → their eventIds (as {@link #storedEvents}). */
    Map<String, List<Long>> events(String topic, String type, String field, Collection<String> expected, Duration patience) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, List<Long>> events = new HashMap<>();
        JsonMapper json = JsonMapper.builder().build();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + patience.toNanos();
            long extra = -1;
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode e = json.readTree(r.value());
                    if (e.path("type").asString().equals(type)) {
                        events.computeIfAbsent(e.path(field).asString(), k -> new ArrayList<>()).add(e.path("eventId").asLong());
                    }
                }
                long now = System.nanoTime();
                if (extra < 0 && (events.keySet().containsAll(expected) || now > deadline)) extra = now + Duration.ofSeconds(1).toNanos();
                if (extra >= 0 && now > extra) return events;
            }
        }
    }

    /**
     * Two more nodes on another index, sharing this cluster's broker and S3 service as a second archive would share a
     * company's Kafka and S3: topics and the bucket prefix named after {@code name}; one node with the api role, one with
     * api and worker. The index (a MariaDB database, a MongoDB server) is the caller's.
     */
    Variant startVariant(String name, String indexUrl, String user, String password) throws Exception {
        Map<String, String> env = environment();
        env.put("STRATUS_INDEX_URL", indexUrl);
        env.remove("STRATUS_INDEX_USER");
        env.remove("STRATUS_INDEX_PASSWORD");
        if (user != null) env.put("STRATUS_INDEX_USER", user);
        if (password != null) env.put("STRATUS_INDEX_PASSWORD", password);
        env.put("STRATUS_STORAGE_URL", "s3://" + BUCKET + "/" + name);
        Variant topics = new Variant(name, null, null);
        env.put("STRATUS_KAFKA_TOPICS_STORED", topics.storedTopic());
        env.put("STRATUS_KAFKA_TOPICS_SERIES_STATE", topics.stateTopic());
        kafka.createTopics(3, topics.storedTopic(), topics.stateTopic());
        String[] jvm = NODE_JVM;
        ServerProcess api = ServerProcess.start(dir.resolve(name + "-api"), dir.resolve(name + "-api.log"), List.of("--roles", "api"), env, jvm);
        try {
            return new Variant(name, api, ServerProcess.start(dir.resolve(name + "-node"), dir.resolve(name + "-node.log"),
                    List.of("--roles", "api,worker"), env, jvm));
        } catch (Exception | AssertionError e) {
            api.close();
            throw e;
        }
    }

    record Variant(String name, ServerProcess api, ServerProcess apiAndWorker) implements AutoCloseable {
        String storedTopic() {
            return name + "." + STORED_TOPIC;
        }

        String stateTopic() {
            return name + "." + STATE_TOPIC;
        }

        @Override
        public void close() throws InterruptedException {
            if (apiAndWorker != null) apiAndWorker.close();
            if (api != null) api.close();
        }
    }

    /** The series of this cluster's index whose metadata document is built from the series as it is now. */
    Set<String> seriesWithDocuments() throws Exception {
        Set<String> built = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT series_uid FROM series_metadata WHERE status = 'DONE' AND document_key IS NOT NULL")) {
            while (r.next()) built.add(r.getString(1));
        }
        return built;
    }

    /** Waits up to {@code patience} until every series of {@code series} has its document; returns those that have one. */
    Set<String> awaitDocuments(Collection<String> series, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        Set<String> built;
        do {
            built = seriesWithDocuments();
            if (built.containsAll(series)) break;
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        Set<String> ours = new HashSet<>(series);
        ours.retainAll(built);
        return ours;
    }

    /** The keys of the objects under {@code prefix} in the bucket, asked of the S3 service past the nodes. */
    List<String> blobs(String prefix) {
        return s3Admin().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }

    /**
     * Empties the index and the bucket, the nodes running: the next test starts on an empty archive, as in process.
     * Waits (up to 30 s) until no series is being built, holding the lock that keeps the worker from claiming
     * another: a build under way would write its document after the bucket is emptied.
     */
    void reset() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection c = DriverManager.getConnection(database.url(), database.user(), database.password())) {
            c.setAutoCommit(false);
            while (true) {
                try (Statement s = c.createStatement()) {
                    s.execute("LOCK TABLE series_metadata IN ACCESS EXCLUSIVE MODE");
                    try (ResultSet r = s.executeQuery("SELECT count(*) FROM series_metadata WHERE status = 'BUILDING'")) {
                        r.next();
                        if (r.getLong(1) == 0 || System.nanoTime() > deadline) {
                            s.execute("TRUNCATE study, series, instance, series_metadata, person_name_token, event_outbox");
                            c.commit();
                            break;
                        }
                    }
                }
                c.rollback();
                Thread.sleep(100);
            }
        }
        for (String key : blobs("")) s3Admin().deleteObject(b -> b.bucket(BUCKET).key(key));
    }

    private synchronized S3Client s3Admin() {
        if (s3Admin == null) {
            s3Admin = S3Client.builder().endpointOverride(java.net.URI.create(s3Endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(TestS3.ACCESS_KEY, TestS3.SECRET_KEY)))
                    .build();
        }
        return s3Admin;
    }

    @Override
    public void close() {
        if (s3Admin != null) s3Admin.close();
        List<ServerProcess> nodes = new ArrayList<>(api);
        if (worker != null) nodes.add(worker);
        for (ServerProcess n : nodes) {
            try {
                n.close(); // SIGTERM: the node drains and stops
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            killS3();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kafka.close();
        database.drop().run();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
