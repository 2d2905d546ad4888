package dev.stratus.archive;

import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.archive.ingest.IngestServiceTest;
import dev.stratus.codec.Uids;
import dev.stratus.index.TenantId;
import dev.stratus.pipeline.ArchiveEvent;
import dev.stratus.pipeline.EventTopics;
import dev.stratus.pipeline.KafkaBroker;
import dev.stratus.pipeline.KafkaEventBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The archive composed with the Kafka event log: the index writes the outbox, the bus relays it, against a real broker. */
class ArchiveKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void anInstanceStoredWhileKafkaIsUnreachableIsAnnouncedOnceTheArchiveReachesIt() throws Exception {
        String p = "a" + UUID.randomUUID().toString().substring(0, 8) + "_";
        EventTopics topics = new EventTopics(p + "storage_queue", p + "dicom_state_queue", p + "dicom_image_queue", p + "log_queue",
                p + "webapi_access_queue");
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();

        // No broker at all (a port nothing listens on): the store is acknowledged, its event waits in the index's outbox.
        Archive.Settings unreachable = Archive.Settings.in(dir.resolve("data"))
                .withKafka(new KafkaEventBus.Settings("127.0.0.1:9", topics, Duration.ofSeconds(4), Duration.ofSeconds(20)));
        try (Archive archive = Archive.open(unreachable).start()) {
            IngestOutcome stored = archive.ingest().ingest(TenantId.DEFAULT,
                    new ByteArrayInputStream(IngestServiceTest.instance(study, series, sop, "Doe^Jane")), null, "test");
            assertInstanceOf(IngestOutcome.Stored.class, stored);
        } // closed before Kafka ever saw the event, as a node stopped right after the commit

        try (KafkaBroker broker = KafkaBroker.startOrSkip(dir.resolve("kafka"));
             Archive archive = Archive.open(Archive.Settings.in(dir.resolve("data"))
                     .withKafka(new KafkaEventBus.Settings(broker.bootstrapServers(), topics, Duration.ofSeconds(6), Duration.ofSeconds(30))))
                     .start()) {
            List<ArchiveEvent> events = new CopyOnWriteArrayList<>();
            archive.events().subscribe("archive-test", events::add);
            await(() -> events.stream().anyMatch(e -> e instanceof ArchiveEvent.InstanceStored s && s.sopInstanceUid().equals(sop)),
                    "the stored instance's event");

            assertTrue(archive.delete().delete(TenantId.DEFAULT, study, null, null));
            await(() -> events.contains(new ArchiveEvent.Deleted(TenantId.DEFAULT, study, null, null)), "the deleted study's event");
            assertTrue(archive.events().relayHealth().isPresent(), "the Kafka bus reports its relay");
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + WAIT + ": " + what);
            Thread.sleep(50);
        }
    }
}
