package dev.stratus.app;

import dev.stratus.codec.Uids;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The cost model of docs/benchmarks.md, counted, not guessed: on a {@link Cluster} (2 API nodes, a worker), STOWs
 * {@code SERIES} series of 10 instances each, alternating the nodes, waits until the worker built every series'
 * document and the events reached Kafka, and prints per stored instance: the requests the S3 service served by kind
 * (counted by {@link S3Service}), the rows the index wrote and the index scans it made (PostgreSQL's
 * pg_stat_user_tables of the cluster's schema alone), and the messages on the topics (their end offsets). Then
 * the same for instance retrieves and series metadata reads. {@code ClusterCost [SERIES] [FRAMES]}.
 */
public final class ClusterCost {
    private ClusterCost() {}

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka")).setLevel(ch.qos.logback.classic.Level.ERROR);
        int seriesCount = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path dir = Files.createTempDirectory("stratus-cost");
        try (Cluster cluster = Cluster.start(dir, 2)) {
            List<ArchiveClient> nodes = List.of(new ArchiveClient(cluster.api.get(0), dir.resolve("api-1")),
                    new ArchiveClient(cluster.api.get(1), dir.resolve("api-2")));
            Map<String, Long> before = counts(cluster, dir);
            List<String[]> stored = new ArrayList<>(); // study, series, sop
            long bytes = 0;
            for (int s = 0; s < seriesCount; s++) {
                String study = Uids.generate(), series = Uids.generate();
                List<byte[]> parts = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String sop = Uids.generate();
                    byte[] instance = ArchiveClient.instance(study, series, sop, frames);
                    bytes += instance.length;
                    parts.add(instance);
                    stored.add(new String[] {study, series, sop});
                }
                HttpResponse<String> r = nodes.get(s % 2).stow(ArchiveClient.multipart(parts.toArray(byte[][]::new)));
                if (r.statusCode() != 200) throw new IllegalStateException("STOW " + r.statusCode() + ": " + r.body());
            }
            List<String> allSeries = stored.stream().map(x -> x[1]).distinct().toList();
            if (cluster.awaitDocuments(allSeries, Duration.ofMinutes(5)).size() != allSeries.size()) throw new IllegalStateException("documents missing");
            cluster.storedEvents(stored.stream().map(x -> x[2]).toList(), Duration.ofMinutes(2));
            Thread.sleep(3000); // PostgreSQL publishes a backend's table counters within a second or so of its commit
            Map<String, Long> afterStore = counts(cluster, dir);
            int n = stored.size();
            System.out.printf(Locale.ROOT, "STOW: %d instances of %d bytes (mean) in %d series, 10 per request, alternating 2 API nodes%n",
                    n, bytes / n, seriesCount);
            print(before, afterStore, n, "per stored instance (the worker's document build included)");

            for (int i = 0; i < stored.size(); i++) {
                String[] x = stored.get(i);
                nodes.get(i % 2).retrieve(x[0], x[1], x[2]);
            }
            Thread.sleep(3000);
            Map<String, Long> afterRetrieve = counts(cluster, dir);
            print(afterStore, afterRetrieve, n, "per WADO-RS instance retrieve");

            for (int i = 0; i < allSeries.size(); i++) {
                String[] x = stored.get(i * 10);
                HttpResponse<String> m = nodes.get(i % 2).get("/dicomweb/studies/" + x[0] + "/series/" + x[1] + "/metadata", "application/dicom+json");
                if (m.statusCode() != 200) throw new IllegalStateException("metadata " + m.statusCode());
            }
            Thread.sleep(3000);
            print(afterRetrieve, counts(cluster, dir), allSeries.size(), "per series metadata request (built document)");
        }
    }

    private static void print(Map<String, Long> from, Map<String, Long> to, int per, String what) {
        System.out.println("  " + what + ":");
        for (var e : to.entrySet()) {
            long d = e.getValue() - from.getOrDefault(e.getKey(), 0L);
            if (d != 0) System.out.printf(Locale.ROOT, "    %-42s %8.2f  (%d)%n", e.getKey(), d / (double) per, d);
        }
    }

    /** Every counter at this moment: S3 requests by kind, index rows written and scans by table, topic messages. */
    private static Map<String, Long> counts(Cluster cluster, Path dir) throws Exception {
        Thread.sleep(1500); // the S3 service rewrites its counts each second
        Map<String, Long> c = new TreeMap<>();
        Path s3 = dir.resolve("s3-requests.properties");
        if (Files.exists(s3)) {
            Properties p = new Properties();
            try (var in = Files.newInputStream(s3)) {
                p.load(in);
            }
            for (String k : p.stringPropertyNames()) c.put("s3 " + k, Long.parseLong(p.getProperty(k)));
        }
        try (Connection db = DriverManager.getConnection(cluster.database.url(), cluster.database.user(), cluster.database.password());
             Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del, coalesce(idx_scan, 0) + seq_scan FROM pg_stat_user_tables"
                     + " WHERE schemaname = '" + cluster.database.name() + "'")) {
            while (r.next()) {
                String t = r.getString(1);
                if (t.startsWith("flyway")) continue;
                c.put("index rows inserted " + t, r.getLong(2));
                c.put("index rows updated " + t, r.getLong(3));
                c.put("index rows deleted " + t, r.getLong(4));
                c.put("index scans " + t, r.getLong(5));
            }
        }
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : List.of(Cluster.STORED_TOPIC, Cluster.STATE_TOPIC)) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                c.put("kafka messages " + topic, consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum());
            }
        }
        return c;
    }
}
