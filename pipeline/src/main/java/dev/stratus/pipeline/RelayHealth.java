package dev.stratus.pipeline;

import java.time.Duration;
import java.time.Instant;

/**
 * How the outbox relay fares, for /health/ready: {@code held} events claimed but not yet acknowledged by Kafka, the
 * oldest of them {@code oldestUndelivered} old; {@code lastError} the last failure (null once a send succeeds again).
 */
public record RelayHealth(int held, Duration oldestUndelivered, Instant lastDelivery, String lastError) {
    /** Events wait in the outbox for Kafka: stores still succeed, but consumers lag. */
    public boolean degraded() {
        return lastError != null;
    }
}
