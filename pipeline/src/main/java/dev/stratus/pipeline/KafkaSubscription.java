package dev.stratus.pipeline;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One consumer group on the event topics, on a virtual thread: each record is handed to the consumer, and its
 * offset committed only after the consumer returned (at least once). A consumer that throws gets the same record
 * again after a backoff, and the records after it in its partition wait; a record that is not an event of this
 * version is logged and skipped, since no retry can make it one.
 */
final class KafkaSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSubscription.class);
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration FIRST_RETRY = Duration.ofMillis(200);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final String name;
    private final Consumer<String, byte[]> kafka;
    private final java.util.function.Consumer<EventRecord> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    KafkaSubscription(String name, Consumer<String, byte[]> kafka, List<String> topics, java.util.function.Consumer<EventRecord> consumer) {
        this.name = name;
        this.kafka = kafka;
        this.consumer = consumer;
        kafka.subscribe(topics);
        this.thread = Thread.ofVirtual().name("events-" + name).start(this::run);
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = kafka.poll(POLL);
                boolean failed = false;
                for (TopicPartition partition : records.partitions()) {
                    if (!handle(partition, records.records(partition))) failed = true;
                }
                if (failed) {
                    Thread.sleep(retry);
                    retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
                } else if (!records.isEmpty()) {
                    retry = FIRST_RETRY;
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("event subscription {} stopped: {}", name, e.toString(), e);
        } finally {
            kafka.close(Duration.ofSeconds(5));
        }
    }

    /** Handles one partition's records in order; on a failure, commits those before it and rewinds to it. */
    private boolean handle(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
        long next = -1;
        boolean ok = true;
        for (ConsumerRecord<String, byte[]> r : records) {
            EventRecord event;
            try {
                event = EventJson.read(r.value());
            } catch (IllegalArgumentException e) {
                LOG.warn("event subscription {} skips {}-{} at offset {}: {}", name, r.topic(), r.partition(), r.offset(), e.getMessage());
                next = r.offset() + 1;
                continue;
            }
            try {
                consumer.accept(event);
                next = r.offset() + 1;
            } catch (RuntimeException e) {
                LOG.warn("event consumer {} failed on event {} ({}-{} at offset {}), to be delivered again: {}", name,
                        event.eventId(), r.topic(), r.partition(), r.offset(), e.toString());
                kafka.seek(partition, r.offset());
                ok = false;
                break;
            }
        }
        if (next >= 0) kafka.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
        return ok;
    }

    @Override
    public void close() {
        running = false;
        kafka.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
