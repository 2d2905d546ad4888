package dev.stratus.pipeline;

import dev.stratus.index.Index;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The event log on Kafka, for nodes that run apart (docs/events.md, docs/decisions/0004). Stores and deletes reach
 * Kafka through the index's outbox, which this bus relays, so {@link #publish} ignores them (ingest and delete
 * publish as on the in-process bus); other events are sent at once, best effort. {@link #subscribe} joins the
 * consumer group of the given name and commits offsets after the consumer returned.
 */
public final class KafkaEventBus implements EventBus {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventBus.class);

    /**
     * @param bootstrapServers host:port[,host:port...]
     * @param deliveryTimeout  how long the producer tries one event before it counts as not sent (retried later)
     * @param outboxLease      how long a relay holds claimed outbox rows; at least twice the delivery timeout
     */
    public record Settings(String bootstrapServers, EventTopics topics, Duration deliveryTimeout, Duration outboxLease) {
        public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);
        public static final Duration DEFAULT_OUTBOX_LEASE = Duration.ofMinutes(2);

        public Settings {
            if (bootstrapServers == null || bootstrapServers.isBlank()) throw new IllegalArgumentException("kafka.bootstrap is empty");
            if (topics == null) topics = EventTopics.DEFAULTS;
            if (deliveryTimeout == null) deliveryTimeout = DEFAULT_DELIVERY_TIMEOUT;
            if (outboxLease == null) outboxLease = DEFAULT_OUTBOX_LEASE;
            if (deliveryTimeout.compareTo(Duration.ofSeconds(1)) < 0 || deliveryTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("kafka.deliveryTimeout must be between 1 s and 10 min: " + deliveryTimeout);
            }
            if (outboxLease.compareTo(sendTimeout(deliveryTimeout).multipliedBy(2)) < 0 || outboxLease.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("kafka.outboxLease (" + outboxLease + ") must be at least twice kafka.deliveryTimeout + 5 s ("
                        + sendTimeout(deliveryTimeout).multipliedBy(2) + ") and at most 1 h");
            }
        }

        /** How long the relay waits for the acknowledgements of one round: the producer's delivery timeout and a margin. */
        static Duration sendTimeout(Duration deliveryTimeout) {
            return deliveryTimeout.plusSeconds(5);
        }

        public Settings(String bootstrapServers) {
            this(bootstrapServers, EventTopics.DEFAULTS, null, null);
        }
    }

    private final Settings settings;
    private final KafkaProducer<String, byte[]> producer;
    private final OutboxRelay relay;
    private final List<KafkaSubscription> subscriptions = new CopyOnWriteArrayList<>();

    /** @param index an index opened with the outbox on (IndexFactory.open(..., outbox true)) */
    public KafkaEventBus(Index index, Settings settings) {
        this.settings = settings;
        this.producer = new KafkaProducer<>(producerConfig(settings), new StringSerializer(), new ByteArraySerializer());
        this.relay = new OutboxRelay(index, producer, settings.topics(), settings.outboxLease(),
                Settings.sendTimeout(settings.deliveryTimeout())).start();
    }

    private static Map<String, Object> producerConfig(Settings s) {
        int delivery = (int) s.deliveryTimeout().toMillis();
        int request = Math.min(10_000, delivery / 2);
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "stratus-outbox-relay",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, request,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // send() waits this long for the cluster's metadata: bounded, and only ever on the relay's thread
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(10_000, delivery / 2));
    }

    @Override
    public void publish(ArchiveEvent event) {
        switch (event) {
            case ArchiveEvent.InstanceStored s -> { } // relayed from the outbox the store wrote in its transaction
            case ArchiveEvent.Deleted d -> { }        // likewise
            case ArchiveEvent.SeriesMetadataBuilt b -> {
                // Rebuilt again on the series' next change, so a lost one costs nothing: sent without the outbox.
                EventRecord r = new EventRecord(0, java.time.Instant.now(), b);
                producer.send(new ProducerRecord<>(settings.topics().seriesState(), EventJson.key(b), EventJson.write(r)), (m, e) -> {
                    if (e != null) LOG.debug("series metadata event for {} not sent: {}", b.seriesUid(), e.toString());
                });
            }
        }
    }

    /**
     * One access record of the audit trail (docs/security.md) on the web access topic, keyed by tenant, best effort:
     * the copy for other systems (the file or stdout trail is the one of record). Call from the audit's own thread:
     * send waits up to the producer's max.block.ms while the cluster cannot be reached.
     */
    public void publishAccess(String tenant, byte[] json) {
        producer.send(new ProducerRecord<>(settings.topics().webAccess(), tenant, json), (m, e) -> {
            if (e != null) LOG.debug("access record not sent to {}: {}", settings.topics().webAccess(), e.toString());
        });
    }

    @Override
    public void subscribe(String name, Consumer<ArchiveEvent> consumer) {
        subscribeRecords(name, r -> consumer.accept(r.event()));
    }

    /** As {@link #subscribe}, with each event's id and time, for consumers that deduplicate redeliveries. */
    public void subscribeRecords(String name, Consumer<EventRecord> consumer) {
        if (name == null || name.isBlank() || name.length() > 200) throw new IllegalArgumentException("a subscription needs a name (its consumer group) of 1 to 200 characters");
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, name,
                ConsumerConfig.CLIENT_ID_CONFIG, "stratus-" + name,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // A new group reads the log from its start: events before its first poll are not skipped.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        List<String> topics = new ArrayList<>(settings.topics().produced());
        subscriptions.add(new KafkaSubscription(name, new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer()),
                topics, consumer));
    }

    /** The relay's state, for /health/ready: degraded while events wait in the outbox for Kafka. */
    @Override
    public Optional<RelayHealth> relayHealth() {
        return Optional.of(relay.health());
    }

    @Override
    public void close() {
        for (KafkaSubscription s : subscriptions) s.close();
        relay.close();
        producer.close(Duration.ofSeconds(5));
    }
}
