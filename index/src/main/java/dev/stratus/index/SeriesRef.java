package dev.stratus.index;

/** Identifies one series of one tenant. */
public record SeriesRef(TenantId tenant, String studyUid, String seriesUid) {
}
