package dev.stratus.pipeline;

import dev.stratus.index.OutboxEvent;
import dev.stratus.index.TenantId;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The JSON of an event on Kafka (docs/events.md), and its key: tenant/study/series, so one series stays in one partition. */
final class EventJson {
    private EventJson() {}

    static final int SCHEMA_VERSION = 1;
    /** Larger values are not events of ours: refused before parsing. */
    static final int MAX_BYTES = 16 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static String key(ArchiveEvent e) {
        String series = switch (e) {
            case ArchiveEvent.InstanceStored s -> s.seriesUid();
            case ArchiveEvent.Deleted d -> d.seriesUid();
            case ArchiveEvent.SeriesMetadataBuilt b -> b.seriesUid();
        };
        return e.tenant().name() + "/" + e.studyUid() + "/" + (series == null ? "" : series);
    }

    static ArchiveEvent event(OutboxEvent o) {
        return switch (o.kind()) {
            case INSTANCE_STORED -> new ArchiveEvent.InstanceStored(o.tenant(), o.studyUid(), o.seriesUid(), o.sopInstanceUid(),
                    o.sopClassUid(), null);
            case INSTANCE_DELETED, SERIES_DELETED, STUDY_DELETED ->
                    new ArchiveEvent.Deleted(o.tenant(), o.studyUid(), o.seriesUid(), o.sopInstanceUid());
        };
    }

    static EventRecord record(OutboxEvent o) {
        return new EventRecord(o.id(), Instant.EPOCH.plus(o.createdMicros(), ChronoUnit.MICROS), event(o));
    }

    static byte[] write(EventRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schemaVersion", SCHEMA_VERSION);
        n.put("eventId", r.eventId());
        n.put("type", type(r.event()));
        n.put("time", r.time().toString());
        n.put("tenant", r.event().tenant().name());
        n.put("studyInstanceUid", r.event().studyUid());
        switch (r.event()) {
            case ArchiveEvent.InstanceStored s -> {
                n.put("seriesInstanceUid", s.seriesUid());
                n.put("sopInstanceUid", s.sopInstanceUid());
                n.put("sopClassUid", s.sopClassUid());
            }
            case ArchiveEvent.Deleted d -> {
                if (d.seriesUid() != null) n.put("seriesInstanceUid", d.seriesUid());
                if (d.sopInstanceUid() != null) n.put("sopInstanceUid", d.sopInstanceUid());
            }
            case ArchiveEvent.SeriesMetadataBuilt b -> {
                n.put("seriesInstanceUid", b.seriesUid());
                n.put("seriesTime", b.seriesTimeMicros());
            }
        }
        return JSON.writeValueAsBytes(n);
    }

    static String type(ArchiveEvent e) {
        return switch (e) {
            case ArchiveEvent.InstanceStored s -> "InstanceStored";
            case ArchiveEvent.Deleted d -> d.sopInstanceUid() != null ? "InstanceDeleted" : d.seriesUid() != null ? "SeriesDeleted" : "StudyDeleted";
            case ArchiveEvent.SeriesMetadataBuilt b -> "SeriesMetadataBuilt";
        };
    }

    /** Reads an event; throws IllegalArgumentException naming what is wrong when the bytes are not one this version reads. */
    static EventRecord read(byte[] bytes) {
        if (bytes == null || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("not an event: " + (bytes == null ? "no value" : bytes.length + " bytes, at most " + MAX_BYTES));
        }
        JsonNode n;
        try {
            n = JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not an event: invalid JSON (" + e.getOriginalMessage() + ")");
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException("not an event: not a JSON object");
        int version = n.path("schemaVersion").asInt(-1);
        if (version != SCHEMA_VERSION) {
            throw new IllegalArgumentException("event schemaVersion " + version + " is not " + SCHEMA_VERSION
                    + ": " + new String(bytes, StandardCharsets.UTF_8));
        }
        TenantId tenant = new TenantId(text(n, "tenant", true));
        String study = text(n, "studyInstanceUid", true), series = text(n, "seriesInstanceUid", false);
        String sop = text(n, "sopInstanceUid", false);
        String type = text(n, "type", true);
        ArchiveEvent event = switch (type) {
            case "InstanceStored" -> new ArchiveEvent.InstanceStored(tenant, study, required(series, "seriesInstanceUid"),
                    required(sop, "sopInstanceUid"), text(n, "sopClassUid", false), null);
            case "InstanceDeleted" -> new ArchiveEvent.Deleted(tenant, study, required(series, "seriesInstanceUid"), required(sop, "sopInstanceUid"));
            case "SeriesDeleted" -> new ArchiveEvent.Deleted(tenant, study, required(series, "seriesInstanceUid"), null);
            case "StudyDeleted" -> new ArchiveEvent.Deleted(tenant, study, null, null);
            case "SeriesMetadataBuilt" -> new ArchiveEvent.SeriesMetadataBuilt(tenant, study, required(series, "seriesInstanceUid"),
                    n.path("seriesTime").asLong(0));
            default -> throw new IllegalArgumentException("unknown event type '" + type + "'");
        };
        Instant time;
        try {
            time = Instant.parse(text(n, "time", true));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("event time is not an ISO-8601 instant: " + n.path("time").asString(""));
        }
        return new EventRecord(n.path("eventId").asLong(0), time, event);
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new IllegalArgumentException("event has no " + field);
            return null;
        }
        if (!v.isString() || v.stringValue().isEmpty() || v.stringValue().length() > 64) {
            throw new IllegalArgumentException("event " + field + " is not a string of 1 to 64 characters");
        }
        return v.stringValue();
    }

    private static String required(String value, String field) {
        if (value == null) throw new IllegalArgumentException("event has no " + field);
        return value;
    }
}
