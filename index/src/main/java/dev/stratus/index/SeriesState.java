package dev.stratus.index;

/**
 * The series-level state row and its metadata-document tracking row.
 *
 * @param updatedTime       microseconds since the epoch of the last change to the series (store or delete);
 *                          strictly increases with every change
 * @param metadataFlagTime  the updatedTime the current metadata document was built from, or null if none
 * @param metadataStatus    PENDING, BUILDING, DONE or FAILED (FAILED: retries exhausted)
 */
public record SeriesState(SeriesRef series, int instanceCount, long updatedTime, Long metadataFlagTime,
                          String metadataStatus, int metadataRetries, String metadataDocumentKey, String metadataError) {
    /** Whether the stored metadata document reflects every change of the series. */
    public boolean metadataIsCurrent() {
        return metadataFlagTime != null && metadataFlagTime == updatedTime && "DONE".equals(metadataStatus)
                && metadataDocumentKey != null;
    }
}
