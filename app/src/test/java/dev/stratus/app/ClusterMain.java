package dev.stratus.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * scripts/cluster: a {@link Cluster} (Kafka, S3, a fresh PostgreSQL schema, API nodes and a worker) to try Stratus out
 * on one machine. Prints every address and stops everything it started on Ctrl-C (the schema is dropped).
 * {@code ClusterMain [API_NODES] [DIR]}.
 */
public final class ClusterMain {
    private ClusterMain() {}

    public static void main(String[] args) throws Exception {
        // the broker's start is awaited by asking it until it answers: the clients' complaints meanwhile are expected
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka")).setLevel(ch.qos.logback.classic.Level.ERROR);
        int apiNodes = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        if (apiNodes < 1 || apiNodes > 8) throw new IllegalArgumentException("API nodes: 1 to 8, not " + apiNodes);
        Path dir = args.length > 1 ? Files.createDirectories(Path.of(args[1])) : Files.createTempDirectory("stratus-cluster");
        System.out.println("cluster: starting in " + dir + " (Kafka, S3, PostgreSQL schema, " + apiNodes + " API nodes, 1 worker)...");
        Cluster cluster = Cluster.start(dir, apiNodes);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("cluster: stopping");
            cluster.close();
            stopped.countDown();
        }));
        System.out.println("cluster: Kafka      " + cluster.kafka.bootstrapServers());
        System.out.println("cluster: S3         " + cluster.s3Endpoint() + "  bucket " + Cluster.BUCKET + " (files in " + dir.resolve("s3") + ")");
        System.out.println("cluster: PostgreSQL " + cluster.database.url() + "  user " + cluster.database.user());
        for (int i = 0; i < cluster.api.size(); i++) {
            System.out.println("cluster: API node " + (i + 1) + " " + cluster.api.get(i).base + "/dicomweb  (log " + dir.resolve("api-" + (i + 1) + "-*.log") + ")");
        }
        System.out.println("cluster: worker     " + cluster.worker.base + "/health/ready  (log " + dir.resolve("worker-*.log") + ")");
        System.out.println("cluster: ready; Ctrl-C stops everything");
        stopped.await();
    }
}
