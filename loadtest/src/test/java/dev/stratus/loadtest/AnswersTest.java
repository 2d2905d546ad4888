package dev.stratus.loadtest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AnswersTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aQidoAnswerCountsItsDataSetsHoweverDeeplyTheyNest() {
        assertEquals(3, Answers.arrayLength(utf8("""
                [ {"0020000D": {"vr": "UI", "Value": ["1.2.3"]}},
                  {"00081115": {"vr": "SQ", "Value": [{"0020000E": {"vr": "UI", "Value": ["1.2.3.4"]}}, {}]}},
                  {} ]""")));
        assertEquals(0, Answers.arrayLength(utf8("[]")));
        assertEquals(0, Answers.arrayLength(new byte[0]), "204 No Content: no matches");
    }

    @Test
    void anAnswerThatIsNotOneWholeArrayIsNotCounted() {
        assertThrows(IllegalArgumentException.class, () -> Answers.arrayLength(utf8("{\"errors\": []}")));
        assertThrows(RuntimeException.class, () -> Answers.arrayLength(utf8("[{}, {}")));
        assertThrows(RuntimeException.class, () -> Answers.arrayLength(utf8("[{}] [{}]")));
    }

    @Test
    void theFailedInstancesOfAStowAnswerAreItsFailedSopSequence() {
        String answer = """
                {"00081190": {"vr": "UR", "Value": ["http://127.0.0.1/dicomweb/studies/1.2.3"]},
                 "00081198": {"vr": "SQ", "Value": [{"00081197": {"vr": "US", "Value": [42752]}}, {"00081197": {"vr": "US", "Value": [49152]}}]},
                 "00081199": {"vr": "SQ", "Value": [{}, {}, {}]}}""";
        assertEquals(2, Answers.failedInstances(utf8(answer)));
        assertEquals(0, Answers.failedInstances(utf8("{\"00081199\": {\"vr\": \"SQ\", \"Value\": [{}]}}")), "all stored");
        assertThrows(RuntimeException.class, () -> Answers.failedInstances(utf8("{\"00081198\": ")));
    }

    @Test
    void theWarmUpsStudyIsFoundInOrthancsLookupAnswer() {
        // the shape of Orthanc's POST /tools/lookup answer: one entry per resource with that UID
        String answer = """
                [ { "ID" : "0a1b2c3d-4e5f6a7b-8c9d0e1f-2a3b4c5d-6e7f8a9b", "Path" : "/series/0a1b2c3d-4e5f6a7b-8c9d0e1f-2a3b4c5d-6e7f8a9b",
                    "Type" : "Series" },
                  { "ID" : "f0e1d2c3-b4a59687-78695a4b-3c2d1e0f-a1b2c3d4", "Path" : "/studies/f0e1d2c3-b4a59687-78695a4b-3c2d1e0f-a1b2c3d4",
                    "Type" : "Study" } ]
                """;
        assertEquals("f0e1d2c3-b4a59687-78695a4b-3c2d1e0f-a1b2c3d4", Answers.orthancStudyId(utf8(answer)));
        assertNull(Answers.orthancStudyId(utf8("[]")), "no study: nothing to delete");
        assertNull(Answers.orthancStudyId(utf8("{}")));
    }
}
