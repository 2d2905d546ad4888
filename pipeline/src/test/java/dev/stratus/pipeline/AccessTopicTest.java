package dev.stratus.pipeline;

import dev.stratus.index.Index;
import dev.stratus.index.sql.SqlIndex;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The audit trail's copy on Kafka: each access record on the web access topic, keyed by tenant, against a real broker. */
class AccessTopicTest {
    @TempDir
    Path dir;

    @Test
    void accessRecordsGoToTheWebAccessTopicKeyedByTenant() throws Exception {
        String p = "a" + UUID.randomUUID().toString().substring(0, 8) + "_";
        EventTopics topics = new EventTopics(p + "storage_queue", p + "dicom_state_queue", p + "dicom_image_queue", p + "log_queue", p + "webapi_access_queue");
        try (KafkaBroker broker = KafkaBroker.startOrSkip(dir.resolve("kafka"));
             Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir.resolve("data")), null, null, true, true)) {
            broker.createTopics(1, topics.webAccess());
            String first = "{\"tenant\":\"hospital-a\",\"action\":\"retrieve\",\"status\":200}";
            String second = "{\"tenant\":\"default\",\"action\":\"store\",\"status\":403}";
            try (KafkaEventBus bus = new KafkaEventBus(index, new KafkaEventBus.Settings(broker.bootstrapServers(), topics, Duration.ofSeconds(6), Duration.ofSeconds(30)))) {
                bus.publishAccess("hospital-a", first.getBytes(StandardCharsets.UTF_8));
                bus.publishAccess("default", second.getBytes(StandardCharsets.UTF_8));
            } // close flushes the producer

            Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, p + "reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topics.webAccess()));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (read.size() < 2 && System.nanoTime() < deadline) consumer.poll(Duration.ofMillis(500)).forEach(read::add);
            }
            assertEquals(List.of("hospital-a", "default"), read.stream().map(ConsumerRecord::key).toList());
            assertEquals(List.of(first, second), read.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
        }
    }
}
