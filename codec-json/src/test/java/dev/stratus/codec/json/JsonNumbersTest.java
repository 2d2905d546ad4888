package dev.stratus.codec.json;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** IS and DS text as JSON numbers: values that are JSON numbers already come back unchanged, the others made valid. */
class JsonNumbersTest {
    @Test
    void decimalsThatAreJsonNumbersAlreadyAreKeptAndTheOthersMadeValid() {
        for (String kept : new String[] {"0", "-0", "512", "-12.5", "0.25", "1.50", "1e5", "1E+05", "-3.2e-7", "0.0"}) {
            assertEquals(kept, JsonNumbers.decimal(kept), kept);
        }
        assertEquals("0.5", JsonNumbers.decimal("+.5"));
        assertEquals("5", JsonNumbers.decimal("5."));
        assertEquals("7", JsonNumbers.decimal("007"));
        assertEquals("0.5", JsonNumbers.decimal("00.5"));
        assertEquals("-0.5", JsonNumbers.decimal("-.5"));
        assertEquals("12", JsonNumbers.decimal("+12"));
        for (String none : new String[] {"", ".", "-", "abc", "1.2.3", "1e", "e5", "1e+", "--1", "1,5"}) {
            assertNull(JsonNumbers.decimal(none), none);
        }
    }

    @Test
    void integersThatAreJsonNumbersAlreadyAreKeptAndTheOthersMadeValid() {
        for (String kept : new String[] {"0", "-0", "7", "-2147483648", "100"}) assertEquals(kept, JsonNumbers.integer(kept), kept);
        assertEquals("7", JsonNumbers.integer("+007"));
        assertEquals("-7", JsonNumbers.integer("-07"));
        for (String none : new String[] {"", "-", "1.0", "1e5", "x", "+"}) assertNull(JsonNumbers.integer(none), none);
    }
}
