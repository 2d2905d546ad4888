package dev.stratus.pipeline;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The event log between roles: in-process when everything runs in one JVM, Kafka when API nodes and
 * workers run apart. Publishing happens after the change is durable; delivery is at least once.
 */
public interface EventBus extends AutoCloseable {
    void publish(ArchiveEvent event);

    /** Registers a consumer; events published from now on reach it (on a thread of the bus). */
    void subscribe(String name, Consumer<ArchiveEvent> consumer);

    /** How events reach the log, where a relay carries them there (Kafka); empty for the in-process bus. */
    default Optional<RelayHealth> relayHealth() {
        return Optional.empty();
    }

    @Override
    default void close() {}
}
