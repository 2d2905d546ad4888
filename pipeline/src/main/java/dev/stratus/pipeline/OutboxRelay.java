package dev.stratus.pipeline;

import dev.stratus.index.Index;
import dev.stratus.index.IndexTime;
import dev.stratus.index.OutboxEvent;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Moves the index's outbox to Kafka, on one virtual thread per node: claims rows under a lease, sends them in id
 * order with an idempotent producer, and removes them only once Kafka acknowledged them. Rows it could not send it
 * keeps and sends again with backoff while its lease lasts; after that they go back to the outbox, for any relay.
 * A crash after a send but before the removal sends a row again: the event id tells consumers (docs/events.md).
 */
final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    static final int CLAIM = 500;
    static final Duration IDLE = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Index index;
    private final Producer<String, byte[]> producer;
    private final EventTopics topics;
    private final Duration lease;
    private final Duration sendTimeout;
    private final Thread thread;
    private volatile boolean running = true;

    private List<OutboxEvent> held = List.of();
    private Instant heldUntil = Instant.MIN;
    private Instant nextOutboxLook = Instant.MIN;
    private volatile RelayHealth health = new RelayHealth(0, Duration.ZERO, null, null);

    /**
     * @param sendTimeout how long to wait for Kafka's acknowledgements of one round (the producer's delivery timeout
     *                    and a margin); the lease is at least twice that (KafkaEventBus.Settings checks it)
     */
    OutboxRelay(Index index, Producer<String, byte[]> producer, EventTopics topics, Duration lease, Duration sendTimeout) {
        this.index = index;
        this.producer = producer;
        this.topics = topics;
        this.lease = lease;
        this.sendTimeout = sendTimeout;
        this.thread = Thread.ofVirtual().name("outbox-relay").unstarted(this::run);
    }

    OutboxRelay start() {
        thread.start();
        return this;
    }

    RelayHealth health() {
        return health;
    }

    private void run() {
        Duration backoff = IDLE;
        while (running) {
            try {
                if (held.isEmpty() || Instant.now().isAfter(heldUntil)) {
                    Instant claimedAt = Instant.now();
                    held = index.claimOutbox(CLAIM, lease);
                    heldUntil = claimedAt.plus(lease).minus(sendTimeout); // sent again only while the lease surely lasts
                }
                if (held.isEmpty()) {
                    health = idleHealth();
                    pause(IDLE);
                    continue;
                }
                held = sendAll(held);
                if (held.isEmpty()) {
                    backoff = IDLE;
                } else {
                    pause(backoff);
                    backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
                }
            } catch (RuntimeException e) { // the index unavailable: the rows stay in the outbox
                failed(held, "cannot read the event outbox: " + e.getMessage(), e);
                pause(backoff);
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
    }

    /**
     * With nothing claimable here: degraded while the shared outbox holds an event older than a send round (another
     * node's relay holds it and cannot deliver it either), so that every node says events wait, not only that one;
     * else up (the index answered). The outbox is asked at most once a second.
     */
    private RelayHealth idleHealth() {
        Instant now = Instant.now();
        if (now.isBefore(nextOutboxLook)) return health;
        nextOutboxLook = now.plusSeconds(1);
        long waitingMicros = index.oldestOutboxMicros().map(t -> IndexTime.nowMicros() - t).orElse(0L);
        Duration waiting = Duration.ofNanos(Math.max(0, waitingMicros) * 1000);
        if (waiting.compareTo(sendTimeout) > 0) {
            return new RelayHealth(0, waiting, health.lastDelivery(),
                    "events wait in the outbox for " + waiting.toSeconds() + " s (another node's relay holds them)");
        }
        return health.lastError() == null ? health : new RelayHealth(0, Duration.ZERO, health.lastDelivery(), null);
    }

    /** Sends in id order; returns the rows not acknowledged (those from the first failure on), after removing the others. */
    private List<OutboxEvent> sendAll(List<OutboxEvent> rows) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
        String error = null;
        Exception cause = null;
        for (OutboxEvent row : rows) {
            try {
                sends.add(producer.send(record(row)));
            } catch (RuntimeException e) { // no metadata within max.block.ms: Kafka is unreachable
                error = "Kafka did not accept event " + row.id() + ": " + e.getMessage();
                cause = e;
                break;
            }
        }
        List<Long> acknowledged = new ArrayList<>(sends.size());
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (error == null) acknowledged.add(rows.get(i).id()); // after a failure, later rows wait to keep the order
            } catch (ExecutionException | TimeoutException e) {
                if (error == null) {
                    error = "Kafka did not acknowledge event " + rows.get(i).id() + ": "
                            + (e.getCause() != null ? e.getCause().getMessage() : "no answer within " + sendTimeout);
                    cause = e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
                return rows;
            }
        }
        if (!acknowledged.isEmpty()) index.removeOutbox(acknowledged);
        List<OutboxEvent> rest = rows.subList(acknowledged.size(), rows.size());
        if (rest.isEmpty()) {
            health = new RelayHealth(0, Duration.ZERO, Instant.now(), null);
        } else {
            failed(rest, error, cause);
        }
        return List.copyOf(rest);
    }

    private void failed(List<OutboxEvent> waiting, String error, Exception cause) {
        Duration oldest = Duration.ZERO;
        if (!waiting.isEmpty()) {
            long micros = Clock.systemUTC().instant().toEpochMilli() * 1000 - waiting.getFirst().createdMicros();
            oldest = Duration.ofNanos(Math.max(0, micros) * 1000);
        }
        if (health.lastError() == null) LOG.warn("events wait in the outbox: {}", error, cause);
        else LOG.debug("events wait in the outbox: {}", error);
        health = new RelayHealth(waiting.size(), oldest, health.lastDelivery(), error);
    }

    private ProducerRecord<String, byte[]> record(OutboxEvent row) {
        EventRecord r = EventJson.record(row);
        String topic = row.kind() == OutboxEvent.Kind.INSTANCE_STORED ? topics.stored() : topics.seriesState();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, EventJson.key(r.event()), EventJson.write(r));
        record.headers().add(new RecordHeader("stratus-event-id", ByteBuffer.allocate(8).putLong(row.id()).array()));
        return record;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    /** Stops after the round in flight; rows not removed stay in the outbox for the next start or another node. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(sendTimeout.plusSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
