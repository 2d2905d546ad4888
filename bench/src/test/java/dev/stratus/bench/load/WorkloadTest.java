package dev.stratus.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class WorkloadTest {
    @Test
    void theWarmUpsStudyIsFoundInOrthancsLookupAnswer() {
        // the shape of Orthanc's POST /tools/lookup answer: one entry per resource with that UID
        String answer = """
                [ { "ID" : "0a1b2c3d-4e5f6a7b-8c9d0e1f-2a3b4c5d-6e7f8a9b", "Path" : "/series/0a1b2c3d-4e5f6a7b-8c9d0e1f-2a3b4c5d-6e7f8a9b",
                    "Type" : "Series" },
                  { "ID" : "f0e1d2c3-b4a59687-78695a4b-3c2d1e0f-a1b2c3d4", "Path" : "/studies/f0e1d2c3-b4a59687-78695a4b-3c2d1e0f-a1b2c3d4",
                    "Type" : "Study" } ]
                """;
        assertEquals("f0e1d2c3-b4a59687-78695a4b-3c2d1e0f-a1b2c3d4", Workload.orthancStudyId(answer.getBytes(StandardCharsets.UTF_8)));
        assertNull(Workload.orthancStudyId("[]".getBytes(StandardCharsets.UTF_8)), "no study: nothing to delete");
        assertNull(Workload.orthancStudyId("{}".getBytes(StandardCharsets.UTF_8)));
    }
}
