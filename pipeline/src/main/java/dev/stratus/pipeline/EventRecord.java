package dev.stratus.pipeline;

import java.time.Instant;

/**
 * An event as the Kafka log carries it: {@code eventId} is the index's outbox id (0 for an event not from the
 * outbox), the same on every redelivery, so that a consumer can tell a duplicate; {@code time} is when the change
 * was committed.
 */
public record EventRecord(long eventId, Instant time, ArchiveEvent event) {}
