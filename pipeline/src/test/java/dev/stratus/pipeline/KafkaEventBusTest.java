package dev.stratus.pipeline;

import dev.stratus.codec.DataSet;
import dev.stratus.index.Index;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.TenantId;
import dev.stratus.index.sql.SqlIndex;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kafka event log against a real broker, fed by the outbox of a real (SQLite) index. */
class KafkaEventBusTest {
    private static final TenantId T = new TenantId("t1");
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path brokerDir;
    private static KafkaBroker broker;

    @TempDir
    Path dataDir;
    private Index index;
    private EventTopics topics;
    private KafkaEventBus bus;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.startOrSkip(brokerDir.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @BeforeEach
    void openBus() {
        index = SqlIndex.open(SqlIndex.embeddedUrl(dataDir), null, null, true, true);
        String p = "t" + UUID.randomUUID().toString().substring(0, 8) + "_";
        topics = new EventTopics(p + "storage_queue", p + "dicom_state_queue", p + "dicom_image_queue", p + "log_queue", p + "webapi_access_queue");
        broker.createTopics(3, topics.stored(), topics.seriesState());
        bus = new KafkaEventBus(index, new KafkaEventBus.Settings(broker.bootstrapServers(), topics, Duration.ofSeconds(6), Duration.ofSeconds(30)));
    }

    @AfterEach
    void close() {
        if (bus != null) bus.close();
        if (index != null) index.close();
    }

    private static InstanceRecord instance(String study, String series, String sop) {
        return new InstanceRecord(T, study, series, sop, CT, "1.2.840.10008.1.2.1", "t1/" + sop, 100, new DataSet());
    }

    @Test
    void eachStoredInstanceIsOneEventInTheStorageTopicInTheOrderOfItsSeries() {
        Map<String, List<String>> storedPerSeries = new HashMap<>();
        for (int i = 1; i <= 4; i++) {
            List<InstanceRecord> batch = new ArrayList<>();
            for (String series : List.of("1.1.1", "1.1.2", "1.1.3")) {
                String sop = series + "." + i;
                batch.add(instance("1.1", series, sop));
                storedPerSeries.computeIfAbsent(series, s -> new ArrayList<>()).add(sop);
            }
            index.store(batch);
        }

        List<ConsumerRecord<String, byte[]>> records = read(topics.stored(), 12);
        Set<Long> ids = new HashSet<>();
        Map<String, List<String>> seenPerSeries = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            EventRecord e = EventJson.read(r.value());
            var stored = (ArchiveEvent.InstanceStored) e.event();
            assertTrue(ids.add(e.eventId()), "event " + e.eventId() + " arrived twice");
            assertEquals("t1/1.1/" + stored.seriesUid(), r.key(), "keyed by tenant, study and series");
            assertEquals(CT, stored.sopClassUid());
            seenPerSeries.computeIfAbsent(stored.seriesUid(), s -> new ArrayList<>()).add(stored.sopInstanceUid());
        }
        assertEquals(12, ids.size());
        assertEquals(storedPerSeries, seenPerSeries, "every instance once, each series in store order");
        await(() -> bus.relayHealth().orElseThrow().held() == 0 && index.claimOutbox(100, Duration.ofMillis(1)).isEmpty(), "the outbox empties");
    }

    @Test
    void aDeletedStudyIsOneEventInTheStateTopic() {
        index.store(List.of(instance("1.2", "1.2.1", "1.2.1.1"), instance("1.2", "1.2.2", "1.2.2.1")));
        index.delete(T, "1.2", null, null);

        List<ConsumerRecord<String, byte[]>> records = read(topics.seriesState(), 1);
        assertEquals(1, records.size());
        assertEquals("t1/1.2/", records.getFirst().key());
        EventRecord e = EventJson.read(records.getFirst().value());
        assertEquals(new ArchiveEvent.Deleted(T, "1.2", null, null), e.event());
        assertEquals("StudyDeleted", EventJson.type(e.event()));
        assertEquals(2, read(topics.stored(), 2).size());
    }

    @Test
    void aConsumerThatFailsGetsTheSameEventAgainAndTheNextOnlyAfterIt() {
        List<String> attempts = new CopyOnWriteArrayList<>();
        List<Long> handled = new CopyOnWriteArrayList<>();
        bus.subscribeRecords("test-consumer", r -> {
            var stored = (ArchiveEvent.InstanceStored) r.event();
            attempts.add(stored.sopInstanceUid());
            if (stored.sopInstanceUid().equals("1.3.1.1") && attempts.stream().filter("1.3.1.1"::equals).count() == 1) {
                throw new IllegalStateException("the consumer's store is down");
            }
            handled.add(r.eventId());
        });
        index.store(List.of(instance("1.3", "1.3.1", "1.3.1.1")));
        index.store(List.of(instance("1.3", "1.3.1", "1.3.1.2")));

        await(() -> handled.size() >= 2, "both events handled");
        assertEquals(List.of("1.3.1.1", "1.3.1.1", "1.3.1.2"), attempts.subList(0, 3),
                "the failed event came again, and the next one of its series only after it");
        assertEquals(2, new HashSet<>(handled).size());
    }

    @Test
    void whileKafkaIsDownStoresSucceedAndTheirEventsArriveWhenItReturns() throws Exception {
        index.store(List.of(instance("1.4", "1.4.1", "1.4.1.1")));
        assertEquals(1, read(topics.stored(), 1).size());
        broker.kill();
        try {
            index.store(List.of(instance("1.4", "1.4.1", "1.4.1.2")));
            index.store(List.of(instance("1.4", "1.4.2", "1.4.2.1"), instance("1.4", "1.4.1", "1.4.1.3")));
            await(() -> bus.relayHealth().orElseThrow().degraded(), "the relay reports Kafka unreachable");
            assertTrue(bus.relayHealth().orElseThrow().held() > 0, "events wait: " + bus.relayHealth().orElseThrow());
        } finally {
            broker.start();
        }
        List<ConsumerRecord<String, byte[]>> records = read(topics.stored(), 4);
        Set<String> sops = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : records) sops.add(((ArchiveEvent.InstanceStored) EventJson.read(r.value()).event()).sopInstanceUid());
        assertEquals(Set.of("1.4.1.1", "1.4.1.2", "1.4.2.1", "1.4.1.3"), sops);
        await(() -> !bus.relayHealth().orElseThrow().degraded(), "the relay recovers");
        assertFalse(bus.relayHealth().orElseThrow().degraded());
    }

    /** Reads a topic from its start until {@code count} records came (or the wait ended), then a little more for extras. */
    private List<ConsumerRecord<String, byte[]>> read(String topic, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (got.size() < count && System.nanoTime() < deadline) c.poll(Duration.ofMillis(200)).forEach(got::add);
            c.poll(Duration.ofMillis(500)).forEach(got::add); // a duplicate would show here
        }
        return got;
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + WAIT + ": " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
