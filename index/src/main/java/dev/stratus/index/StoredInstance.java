package dev.stratus.index;

/** An instance as the index knows it: enough to find and serve its bytes. */
public record StoredInstance(TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid,
                             String sopClassUid, String transferSyntaxUid, String blobKey, long blobSize,
                             Integer instanceNumber) {
}
