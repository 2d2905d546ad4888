package dev.stratus.pipeline;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The Kafka topics of the event log. The defaults are the names of the system Stratus descends from, where the
 * meaning matches (docs/events.md): instances stored, series state changes (deletes, metadata built), and the
 * HTTP access records of the audit trail, and the per-instance analytics and log records, reserved names not produced yet.
 */
public record EventTopics(String stored, String seriesState, String images, String log, String webAccess) {
    // Kafka's own rule for topic names; declared before DEFAULTS, which it checks.
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public static final EventTopics DEFAULTS =
            new EventTopics("storage_queue", "dicom_state_queue", "dicom_image_queue", "log_queue", "webapi_access_queue");

    public EventTopics {
        for (String t : new String[] {stored, seriesState, images, log, webAccess}) {
            if (t == null || !LEGAL.matcher(t).matches()) {
                throw new IllegalArgumentException("not a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -): " + t);
            }
        }
    }

    /** The topics this bus produces and its subscriptions read. */
    List<String> produced() {
        return stored.equals(seriesState) ? List.of(stored) : List.of(stored, seriesState);
    }
}
