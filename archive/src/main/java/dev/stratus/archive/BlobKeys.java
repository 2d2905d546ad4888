package dev.stratus.archive;

import dev.stratus.index.TenantId;
import dev.stratus.storage.BlobKey;

import java.util.UUID;

/**
 * Where things go in the blob store. Each stored version of an instance gets a fresh key, so a replace
 * never overwrites bytes the index still points to; the old key is deleted after the index commits.
 */
public final class BlobKeys {
    private BlobKeys() {}

    /** Caller guarantees the UIDs are valid (digits and dots), which BlobKey checks again. */
    public static String instance(TenantId tenant, String study, String series, String sop) {
        return BlobKey.of("tenants", tenant.name(), "studies", study, "series", series,
                sop + "_" + UUID.randomUUID().toString().substring(0, 8) + ".dcm");
    }

    public static String seriesMetadata(TenantId tenant, String study, String series, long flagTime) {
        return BlobKey.of("tenants", tenant.name(), "metadata", study, series + "_" + flagTime + ".json");
    }
}
