package dev.stratus.index;

/**
 * One row of the event outbox: a change the index committed, written in the same transaction as the change
 * (docs/decisions/0004-event-outbox.md), waiting to be relayed to the event log and then removed.
 *
 * @param id             increasing in commit order for the changes of one series (they hold its lock in turn)
 * @param seriesUid      null for a deleted study
 * @param sopInstanceUid set for an instance stored or deleted
 * @param sopClassUid    set for an instance stored
 * @param createdMicros  when the change was committed, in microseconds since the epoch
 */
public record OutboxEvent(long id, Kind kind, TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid,
                          String sopClassUid, long createdMicros) {

    public enum Kind { INSTANCE_STORED, INSTANCE_DELETED, SERIES_DELETED, STUDY_DELETED }

    /** The row of a change not yet numbered (the index assigns the id when it inserts it). */
    public static OutboxEvent stored(InstanceRecord r, long nowMicros) {
        return new OutboxEvent(0, Kind.INSTANCE_STORED, r.tenant(), r.studyUid(), r.seriesUid(), r.sopInstanceUid(),
                r.sopClassUid(), nowMicros);
    }

    /** The row of a delete, of the narrowest level named (instance, series, or study). */
    public static OutboxEvent deleted(TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid, long nowMicros) {
        Kind kind = sopInstanceUid != null ? Kind.INSTANCE_DELETED : seriesUid != null ? Kind.SERIES_DELETED : Kind.STUDY_DELETED;
        return new OutboxEvent(0, kind, tenant, studyUid, seriesUid, sopInstanceUid, null, nowMicros);
    }
}
