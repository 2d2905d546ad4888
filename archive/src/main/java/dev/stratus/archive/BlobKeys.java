package dev.stratus.archive;

import dev.stratus.index.TenantId;
import dev.stratus.storage.BlobKey;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Where things go in the blob store. Each stored version of an instance gets a fresh key, so a replace
 * never overwrites bytes the index still points to; the old key is deleted after the index commits.
 */
public final class BlobKeys {
    private BlobKeys() {}

    /** Caller guarantees the UIDs are valid (digits and dots), which BlobKey checks again. */
    public static String instance(TenantId tenant, String study, String series, String sop) {
        return BlobKey.of("tenants", tenant.name(), "studies", study, "series", series,
                sop + "_" + freshSuffix() + ".dcm");
    }

    /** 8 random hex digits (as many as UUID's first group gave), without a secure random draw per stored instance. */
    private static String freshSuffix() {
        return Long.toHexString((ThreadLocalRandom.current().nextInt() & 0xffffffffL) | 0x100000000L).substring(1);
    }

    public static String seriesMetadata(TenantId tenant, String study, String series, long flagTime) {
        return BlobKey.of("tenants", tenant.name(), "metadata", study, series + "_" + flagTime + ".json");
    }

    /** Where every key of these shapes lives. */
    static final String ROOT = "tenants";

    /** What a key of {@link #instance} or {@link #seriesMetadata} names. */
    sealed interface Named {
        TenantId tenant();
    }

    record InstanceBlob(TenantId tenant, String study, String series, String sop) implements Named {}

    record MetadataDocument(TenantId tenant, String study, String series) implements Named {}

    /** What a key made here names, or null for a key of another shape (nothing of the archive's). */
    static Named parse(String key) {
        String[] s = key.split("/");
        if (s.length < 4 || !s[0].equals(ROOT) || !TenantId.isValid(s[1])) return null;
        TenantId tenant = new TenantId(s[1]);
        if (s.length == 7 && s[2].equals("studies") && s[4].equals("series") && s[6].endsWith(".dcm")) {
            int cut = s[6].lastIndexOf('_');
            return cut <= 0 ? null : new InstanceBlob(tenant, s[3], s[5], s[6].substring(0, cut));
        }
        if (s.length == 5 && s[2].equals("metadata") && s[4].endsWith(".json")) {
            int cut = s[4].lastIndexOf('_');
            return cut <= 0 ? null : new MetadataDocument(tenant, s[3], s[4].substring(0, cut));
        }
        return null;
    }
}
