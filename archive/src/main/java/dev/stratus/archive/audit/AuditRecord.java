package dev.stratus.archive.audit;

import tools.jackson.core.JsonGenerator;

import java.time.Instant;
import java.util.List;

/**
 * One access to the archive, as the audit trail keeps it: who (the token's subject and client), where (tenant, the
 * UIDs the URL names, the client's address), what (the action and the permission it needed), and the outcome. A DICOM
 * operation (C-STORE, C-FIND, C-MOVE, C-GET, N-ACTION) is kept the same way, its {@link Dimse} part saying which. Never a
 * patient's name or ID: no query string and no body goes in, only UIDs, which identify objects, not people.
 *
 * @param subject the token's {@code sub}; null when no token was verified (authorization off, or the token refused)
 * @param client the token's {@code client_id} or {@code azp}; null when unknown
 * @param tenant null for an access to no tenant (metrics); {@value #INVALID} for a name that was refused
 * @param action search, retrieve, retrieve-metadata, retrieve-frames, retrieve-bulkdata, store, delete, metrics
 * @param capability the permission the route needs (READ, WRITE, DELETE, METRICS)
 * @param study null when the URL names none; {@value #INVALID} when what it names is no UID
 * @param status the HTTP status answered; for a DICOM operation its final DIMSE status (PS3.7 C)
 * @param stored what a store stored, null for any other action
 * @param dimse  null for an HTTP request
 */
public record AuditRecord(Instant time, String subject, String client, String tenant, String action, String capability,
                          String study, String series, String instance, int status, String address, Stored stored, Dimse dimse) {

    public AuditRecord(Instant time, String subject, String client, String tenant, String action, String capability,
                       String study, String series, String instance, int status, String address, Stored stored) {
        this(time, subject, client, tenant, action, capability, study, series, instance, status, address, stored, null);
    }

    /**
     * What is particular to a DICOM operation: its command, the AE titles of the association, the C-MOVE destination,
     * and whether the association came over TLS (its client certificate's subject is then the record's subject).
     */
    public record Dimse(String command, String callingAeTitle, String calledAeTitle, String moveDestination, boolean tls) {}
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

    /** success (2xx), denied (401, 403), failed (any other); for DICOM see {@link #dimseOutcome}. */
    public String outcome() {
        if (dimse != null) return dimseOutcome(status);
        if (status >= 200 && status < 300) return "success";
        return status == 401 || status == 403 ? "denied" : "failed";
    }

    /**
     * success (0000, and the warnings 0001, Bxxx: done, with a remark), cancelled (FE00, C-CANCEL), denied (0124, not
     * authorized; and -1, the association itself rejected), failed (any other: Axxx, Cxxx, 01xx, 02xx); PS3.7 C.1 to C.5.
     */
    static String dimseOutcome(int status) {
        if (status == 0x0000 || status == 0x0001 || (status & 0xF000) == 0xB000) return "success";
        if (status == 0xFE00) return "cancelled";
        return status == 0x0124 || status == -1 ? "denied" : "failed";
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
        if (dimse != null) {
            g.writeStringProperty("protocol", "dimse");
            g.writeStringProperty("command", dimse.command());
            g.writeStringProperty("callingAeTitle", dimse.callingAeTitle());
            g.writeStringProperty("calledAeTitle", dimse.calledAeTitle());
            if (dimse.moveDestination() != null) g.writeStringProperty("moveDestination", dimse.moveDestination());
            g.writeBooleanProperty("tls", dimse.tls());
            g.writeStringProperty("dimseStatus", status < 0 ? null : String.format("%04X", status)); // as PS3.7 writes them
        } else {
            g.writeNumberProperty("status", status);
        }
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
