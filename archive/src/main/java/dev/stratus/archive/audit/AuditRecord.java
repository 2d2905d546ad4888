package dev.stratus.archive.audit;

import tools.jackson.core.JsonGenerator;

import java.time.Instant;
import java.util.List;

/**
 * One access to the archive, as the audit trail keeps it: who (the token's subject and client), where (tenant, the
 * UIDs the URL names, the client's address), what (the action and the permission it needed), and the outcome. Never a
 * patient's name or ID: no query string and no body goes in, only UIDs, which identify objects, not people.
 *
 * @param subject the token's {@code sub}; null when no token was verified (authorization off, or the token refused)
 * @param client the token's {@code client_id} or {@code azp}; null when unknown
 * @param tenant null for an access to no tenant (metrics); {@value #INVALID} for a name that was refused
 * @param action search, retrieve, retrieve-metadata, retrieve-frames, retrieve-bulkdata, store, delete, metrics
 * @param capability the permission the route needs (READ, WRITE, DELETE, METRICS)
 * @param study null when the URL names none; {@value #INVALID} when what it names is no UID
 * @param status the HTTP status answered
 * @param stored what a store stored, null for any other action
 */
public record AuditRecord(Instant time, String subject, String client, String tenant, String action, String capability,
                          String study, String series, String instance, int status, String address, Stored stored) {
    /** What stands in the record for a value from the request that failed validation (it is not copied). */
    public static final String INVALID = "(invalid)";

    /**
     * What one STOW-RS request stored: how many instances, into which studies (a store to /studies names none in its
     * URL). The studies are listed up to {@value #MAX_STUDIES}; their count is always whole.
     */
    public record Stored(int instances, List<String> studies, int studyCount) {
        public static final int MAX_STUDIES = 100;

        /** @param studyUids the study of each instance stored, in order, repeats included */
        public static Stored of(List<String> studyUids) {
            List<String> distinct = studyUids.stream().distinct().toList();
            return new Stored(studyUids.size(), distinct.subList(0, Math.min(MAX_STUDIES, distinct.size())), distinct.size());
        }
    }

    /** success (2xx), denied (401, 403), failed (any other). */
    public String outcome() {
        if (status >= 200 && status < 300) return "success";
        return status == 401 || status == 403 ? "denied" : "failed";
    }

    /** One JSON object; {@code dropped}: records lost to a full queue since the line before, when any. */
    void write(JsonGenerator g, long dropped) {
        g.writeStartObject();
        g.writeStringProperty("time", time.toString());
        g.writeStringProperty("subject", subject);
        g.writeStringProperty("client", client);
        g.writeStringProperty("tenant", tenant);
        g.writeStringProperty("action", action);
        g.writeStringProperty("capability", capability);
        if (study != null) g.writeStringProperty("study", study);
        if (series != null) g.writeStringProperty("series", series);
        if (instance != null) g.writeStringProperty("instance", instance);
        g.writeNumberProperty("status", status);
        g.writeStringProperty("outcome", outcome());
        g.writeStringProperty("address", address);
        if (stored != null) {
            g.writeNumberProperty("stored", stored.instances());
            g.writeArrayPropertyStart("storedStudies");
            for (String study : stored.studies()) g.writeString(study);
            g.writeEndArray();
            if (stored.studyCount() > stored.studies().size()) g.writeNumberProperty("storedStudiesOmitted", stored.studyCount() - stored.studies().size());
        }
        if (dropped > 0) g.writeNumberProperty("dropped", dropped);
        g.writeEndObject();
    }
}
