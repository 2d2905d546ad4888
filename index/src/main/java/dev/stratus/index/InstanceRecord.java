package dev.stratus.index;

import dev.stratus.codec.DataSet;

/**
 * What the index keeps of one stored instance: where its bytes are, and its header (without bulk data)
 * from which the index takes the columns it matches on and the attributes QIDO-RS returns.
 */
public record InstanceRecord(TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid,
                             String sopClassUid, String transferSyntaxUid, String blobKey, long blobSize,
                             DataSet attributes) {
}
