package dev.stratus.index;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How an operation that failed for a passing reason is tried again: at most {@code attempts} tries in all, the
 * pause after the n-th failed try being {@code firstPause} doubled n-1 times, at most {@code maxPause}. A jittered
 * pause is drawn uniformly from [1 ms, that], so that writers that lost the same race do not meet again at once.
 * It lives with the index because the index is where both kinds of retry meet: its backends retry transactions
 * that lost a race, and it stores the metadata worker's next try ({@link Index#metadataFailed}).
 */
public record RetryPolicy(int attempts, Duration firstPause, Duration maxPause, boolean jittered) {
    public RetryPolicy {
        if (attempts < 1) throw new IllegalArgumentException("a retry policy allows at least one try, not " + attempts);
        if (firstPause.isNegative() || maxPause.compareTo(firstPause) < 0) {
            throw new IllegalArgumentException("pauses must satisfy 0 <= first <= max: " + firstPause + ", " + maxPause);
        }
    }

    /** For writers that lost a race: short random pauses, growing up to {@code maxPause}. */
    public static RetryPolicy lostRace(int attempts, Duration firstPause, Duration maxPause) {
        return new RetryPolicy(attempts, firstPause, maxPause, true);
    }

    /** For work that failed: the pause doubles with each failure (capped only against overflow, at 2^16 times the first). */
    public static RetryPolicy doubling(int attempts, Duration firstPause) {
        return new RetryPolicy(attempts, firstPause, firstPause.multipliedBy(1L << 16), false);
    }

    /** Whether another try may follow {@code tries} failed ones. */
    public boolean allowsAnother(int tries) {
        return tries < attempts;
    }

    /** The pause after the {@code tries}-th failed try (1 for the first). */
    public Duration pauseAfter(int tries) {
        Duration pause = firstPause;
        for (int n = 1; n < tries && !pause.isZero() && pause.compareTo(maxPause) < 0; n++) pause = pause.multipliedBy(2);
        if (pause.compareTo(maxPause) > 0) pause = maxPause;
        if (!jittered) return pause;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(1, Math.max(1, pause.toMillis()) + 1));
    }

    /** Sleeps {@link #pauseAfter}; an interrupt ends the retrying (IllegalStateException, the thread's interrupt flag set). */
    public void pause(int tries) {
        try {
            Thread.sleep(pauseAfter(tries));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to try again (after " + tries + " tries)", e);
        }
    }
}
