package dev.stratus.loadtest;

import dev.stratus.codec.Tag;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the load test reads from the servers' JSON answers: how many data sets a QIDO-RS or metadata answer
 * holds, how many instances a STOW-RS answer lists as failed, which study Orthanc's lookup found. Anything
 * malformed throws Jackson's (unchecked) exception.
 */
final class Answers {
    private Answers() {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String FAILED_SOP_SEQUENCE = Tag.toHex(Tag.FailedSOPSequence);

    /** Elements of a top-level array, counted as they stream past (a large answer is never held as a tree); 0 for an empty body. */
    static int arrayLength(byte[] utf8) {
        if (utf8.length == 0) return 0;
        try (JsonParser p = JSON.createParser(utf8)) {
            if (p.nextToken() != JsonToken.START_ARRAY) throw new IllegalArgumentException("not a JSON array");
            int n = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) throw new IllegalArgumentException("the JSON array is not closed");
                p.skipChildren();
                n++;
            }
            if (p.nextToken() != null) throw new IllegalArgumentException("text after the JSON array");
            return n;
        }
    }

    /** Items of the Failed SOP Sequence (0008,1198) of a STOW-RS answer in the DICOM JSON model; 0 if absent. */
    static int failedInstances(byte[] utf8) {
        JsonNode items = JSON.readTree(utf8).path(FAILED_SOP_SEQUENCE).path("Value");
        return items.isArray() ? items.size() : 0;
    }

    /** The ID of the study in an answer of Orthanc's /tools/lookup: [{"ID": ..., "Type": "Study", ...}]; null if none. */
    static String orthancStudyId(byte[] lookup) {
        for (JsonNode hit : JSON.readTree(lookup)) {
            if (hit.path("Type").asString("").equals("Study") && hit.path("ID").isString()) return hit.path("ID").asString();
        }
        return null;
    }
}
