package dev.stratus.web.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BearerTokenTest {
    private static AccessRefused refused(List<String> lines) {
        return assertThrows(AccessRefused.class, () -> BearerToken.from(lines));
    }

    @Test
    void theTokenIsTakenWhateverTheSchemesCase() {
        assertEquals("abc.DEF-_~+/.xyz==", BearerToken.from(List.of("bearer abc.DEF-_~+/.xyz==")));
        assertEquals("a.b.c", BearerToken.from(List.of("  Bearer   a.b.c ")));
    }

    @Test
    void absentOrOtherSchemeIs401WithoutErrorCode() {
        for (List<String> lines : List.of(List.<String>of(), List.of("Basic dXNlcjpwYXNz"), List.of("Bearertoken"))) {
            AccessRefused e = refused(lines);
            assertEquals(401, e.status(), lines.toString());
            assertEquals("Bearer realm=\"stratus\"", e.challenge());
        }
    }

    @Test
    void malformedIs400InvalidRequest() {
        for (List<String> lines : List.of(List.of("Bearer"), List.of("Bearer a b"), List.of("Bearer ä.b.c"), List.of("Bearer ==="),
                List.of("Bearer a.b.c", "Bearer a.b.c"), List.of("Bearer " + "x".repeat(BearerToken.MAX_LENGTH + 1)))) {
            AccessRefused e = refused(lines);
            assertEquals(400, e.status(), lines.toString().length() > 80 ? "long token" : lines.toString());
            assertTrue(e.challenge().contains("error=\"invalid_request\""), e.challenge());
        }
    }

    @Test
    void aChallengeNeverCarriesQuotesOrControlsFromTheToken() {
        String c = BearerChallenge.of("invalid_token", "aud \"x\"\r\nSet-Cookie: a=b \\ é", null);
        assertEquals("Bearer realm=\"stratus\", error=\"invalid_token\", error_description=\"aud ?x???Set-Cookie: a=b ? ?\"", c);
    }
}
