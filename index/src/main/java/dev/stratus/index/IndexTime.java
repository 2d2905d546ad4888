package dev.stratus.index;

import java.time.Duration;
import java.time.Instant;

/** The index's clock: microseconds since the epoch, the unit of updated_time, next_attempt_time and quietSince. */
public final class IndexTime {
    private IndexTime() {}

    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    public static long micros(Duration d) {
        return d.toNanos() / 1000;
    }
}
