package dev.stratus.pipeline;

import dev.stratus.index.TenantId;

/** What happened in the archive, as other roles (metadata worker, forwarders, audit) learn of it. */
public sealed interface ArchiveEvent {
    TenantId tenant();

    String studyUid();

    /** An instance was stored (or replaced) and is durable and indexed. */
    record InstanceStored(TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid,
                          String sopClassUid, String source) implements ArchiveEvent {}

    /** A study, series (seriesUid set) or instance (both set) was deleted. */
    record Deleted(TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid) implements ArchiveEvent {}

    /** The series' metadata document was rebuilt from the series as it was at {@code seriesTimeMicros}. */
    record SeriesMetadataBuilt(TenantId tenant, String studyUid, String seriesUid, long seriesTimeMicros) implements ArchiveEvent {}
}
