package dev.stratus.codec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UidsTest {
    @Test
    void acceptsWellFormedUidsAndRejectsTheRest() {
        assertTrue(Uids.isValid("1.2.840.10008.1.2.1"));
        assertTrue(Uids.isValid("1.2.0.3"));
        assertFalse(Uids.isValid("1.2.03"), "leading zero");
        assertFalse(Uids.isValid("1..2"), "empty component");
        assertFalse(Uids.isValid("1.2."), "trailing dot");
        assertFalse(Uids.isValid("1.2.a"), "letter");
        assertFalse(Uids.isValid("../etc"), "path");
        assertFalse(Uids.isValid("1." + "2".repeat(63)), "65 characters");
        assertNull(Uids.problem("1.2.3"));
    }

    @Test
    void generatedUidsAreValidAndDistinct() {
        String a = Uids.generate(), b = Uids.generate();
        assertTrue(Uids.isValid(a), a);
        assertTrue(a.startsWith("2.25."));
        assertFalse(a.equals(b));
        assertTrue(a.length() <= 64);
    }
}
