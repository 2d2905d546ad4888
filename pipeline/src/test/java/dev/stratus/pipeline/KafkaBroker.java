package dev.stratus.pipeline;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) in a child JVM, from the kafka_2.13 test
 * dependency: formatted with {@code kafka.tools.StorageTool}, run as {@code kafka.Kafka}, so that a test can kill it
 * (an outage) and start it again on the same port and log. Tests that need it call {@link #startOrSkip}: a broker
 * that cannot start skips them with the reason, except under CI=true, where it fails them.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final Path properties;
    private Process process;

    private KafkaBroker(Path dir) throws IOException {
        this.dir = dir;
        this.port = freePort();
        int controllerPort = freePort();
        Files.createDirectories(dir);
        properties = dir.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("log"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "") + "\n");
        run(List.of("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", properties.toString()), dir.resolve("format.log"));
    }

    /** A broker in {@code dir}, started and answering; skips (or fails under CI=true) the calling test when it cannot. */
    public static KafkaBroker startOrSkip(Path dir) {
        KafkaBroker broker = null;
        try {
            broker = new KafkaBroker(dir);
            broker.start();
            return broker;
        } catch (IOException | RuntimeException e) {
            if (broker != null) broker.close();
            String reason = "a Kafka broker could not start in a child JVM (" + e.getMessage() + "; see " + dir + ")";
            if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + "; CI=true requires it", e);
            Assumptions.abort(reason + ": skipped");
            throw new AssertionError("unreachable");
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (again) and waits until it answers. */
    public void start() throws IOException {
        if (process != null && process.isAlive()) return;
        process = java(List.of("kafka.Kafka", properties.toString()), dir.resolve("broker.log"));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                if (!process.isAlive()) throw new IOException("the broker exited with " + process.exitValue() + ", see " + dir.resolve("broker.log"));
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) throw new IOException("the broker did not answer within " + START_TIMEOUT);
                }
            }
        }
    }

    /** Kills the broker at once (SIGKILL), as an outage would. */
    public void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates topics with {@code partitions} partitions each (replication 1). */
    public void createTopics(int partitions, String... names) {
        try (Admin admin = admin()) {
            admin.createTopics(java.util.Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + List.of(names) + ": " + e.getMessage(), e);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    @Override
    public void close() {
        kill();
    }

    private static Process java(List<String> mainAndArgs, Path log) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-cp", classPath));
        command.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CLASSPATH", ""); // only -cp counts
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        return p;
    }

    private static void run(List<String> mainAndArgs, Path log) throws IOException {
        Process p = java(mainAndArgs, log);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(mainAndArgs.getFirst() + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(mainAndArgs.getFirst() + " failed (" + p.exitValue() + "): " + Files.readString(log).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    // Kafka's cluster ids are 16 bytes, base64url without padding.
    private static String clusterId() {
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
