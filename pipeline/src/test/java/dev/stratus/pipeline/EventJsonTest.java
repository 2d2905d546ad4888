package dev.stratus.pipeline;

import dev.stratus.index.OutboxEvent;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventJsonTest {
    private static final TenantId T = new TenantId("t1");

    @Test
    void everyKindOfOutboxRowReadsBackAsTheEventItNames() {
        for (OutboxEvent o : new OutboxEvent[] {
                new OutboxEvent(7, OutboxEvent.Kind.INSTANCE_STORED, T, "1.2", "1.2.3", "1.2.3.4", "1.2.840.10008.5.1.4.1.1.2", 1_765_000_000_123_456L),
                new OutboxEvent(8, OutboxEvent.Kind.INSTANCE_DELETED, T, "1.2", "1.2.3", "1.2.3.4", null, 1L),
                new OutboxEvent(9, OutboxEvent.Kind.SERIES_DELETED, T, "1.2", "1.2.3", null, null, 1L),
                new OutboxEvent(10, OutboxEvent.Kind.STUDY_DELETED, T, "1.2", null, null, null, 1L)}) {
            EventRecord written = EventJson.record(o);
            EventRecord read = EventJson.read(EventJson.write(written));
            assertEquals(written, read);
            assertEquals(o.id(), read.eventId());
        }
        EventRecord built = new EventRecord(0, Instant.parse("2026-12-07T10:00:00Z"), new ArchiveEvent.SeriesMetadataBuilt(T, "1.2", "1.2.3", 42));
        assertEquals(built, EventJson.read(EventJson.write(built)));
    }

    @Test
    void theJsonCarriesTheDocumentedFields() {
        String json = new String(EventJson.write(EventJson.record(new OutboxEvent(7, OutboxEvent.Kind.INSTANCE_STORED, T, "1.2", "1.2.3",
                "1.2.3.4", "1.2.840.10008.5.1.4.1.1.2", 1_765_000_000_123_456L))), StandardCharsets.UTF_8);
        assertEquals("{\"schemaVersion\":1,\"eventId\":7,\"type\":\"InstanceStored\",\"time\":\"2025-12-06T05:46:40.123456Z\","
                + "\"tenant\":\"t1\",\"studyInstanceUid\":\"1.2\",\"seriesInstanceUid\":\"1.2.3\",\"sopInstanceUid\":\"1.2.3.4\","
                + "\"sopClassUid\":\"1.2.840.10008.5.1.4.1.1.2\"}", json);
        assertEquals("t1/1.2/", EventJson.key(new ArchiveEvent.Deleted(T, "1.2", null, null)));
    }

    @Test
    void whatIsNotAnEventOfThisVersionIsRefusedWithTheReason() {
        String good = "\"type\":\"StudyDeleted\",\"time\":\"2026-12-07T10:00:00Z\",\"tenant\":\"t1\",\"studyInstanceUid\":\"1.2\"";
        assertTrue(refusal("{\"schemaVersion\":2," + good + "}").contains("schemaVersion 2"));
        assertTrue(refusal("{\"schemaVersion\":1,\"type\":\"Exploded\",\"time\":\"2026-12-07T10:00:00Z\",\"tenant\":\"t1\",\"studyInstanceUid\":\"1.2\"}")
                .contains("unknown event type"));
        assertTrue(refusal("{\"schemaVersion\":1,\"type\":\"InstanceStored\",\"time\":\"2026-12-07T10:00:00Z\",\"tenant\":\"t1\",\"studyInstanceUid\":\"1.2\"}")
                .contains("seriesInstanceUid"));
        assertTrue(refusal("{\"schemaVersion\":1," + good.replace("\"1.2\"", "\"" + "9".repeat(65) + "\"") + "}").contains("1 to 64"));
        assertTrue(refusal("[1,2]").contains("not a JSON object"));
        assertTrue(refusal("{\"schemaVersion\":1,").contains("invalid JSON"));
        assertTrue(refusal("{\"schemaVersion\":1,\"pad\":\"" + "x".repeat(EventJson.MAX_BYTES) + "\"}").contains("at most"));
    }

    private static String refusal(String json) {
        return assertThrows(IllegalArgumentException.class, () -> EventJson.read(json.getBytes(StandardCharsets.UTF_8))).getMessage();
    }
}
