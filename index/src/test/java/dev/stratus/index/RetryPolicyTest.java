package dev.stratus.index;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {
    @Test
    void aFailedBuildWaitsTwiceAsLongAfterEachFailureUntilTheLastTry() {
        RetryPolicy p = RetryPolicy.doubling(5, Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(10), p.pauseAfter(1));
        assertEquals(Duration.ofSeconds(20), p.pauseAfter(2));
        assertEquals(Duration.ofSeconds(160), p.pauseAfter(5));
        assertEquals(Duration.ofSeconds(10).multipliedBy(1L << 16), p.pauseAfter(1000), "no overflow after many failures");
        assertTrue(p.allowsAnother(4));
        assertFalse(p.allowsAnother(5), "the fifth failure is the last");
        assertEquals(Duration.ZERO, RetryPolicy.doubling(3, Duration.ZERO).pauseAfter(3));
    }

    @Test
    void writersThatLostARaceWaitARandomFewMillisecondsGrowingToTheCap() {
        RetryPolicy p = RetryPolicy.lostRace(8, Duration.ofMillis(5), Duration.ofMillis(40));
        long longestFirst = 0, longestLate = 0;
        for (int i = 0; i < 2000; i++) {
            long first = p.pauseAfter(1).toMillis(), late = p.pauseAfter(7).toMillis();
            assertTrue(first >= 1 && first <= 5, "after the first try: " + first + " ms");
            assertTrue(late >= 1 && late <= 40, "after the seventh: " + late + " ms");
            longestFirst = Math.max(longestFirst, first);
            longestLate = Math.max(longestLate, late);
        }
        assertTrue(longestLate > longestFirst, "pauses grow: " + longestFirst + " ms, then " + longestLate + " ms");
        assertFalse(p.allowsAnother(8));
    }

    @Test
    void aPolicyWithoutATryOrWithPausesOutOfOrderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.doubling(0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.lostRace(3, Duration.ofMillis(50), Duration.ofMillis(5)));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.doubling(3, Duration.ofMillis(-1)));
    }
}
