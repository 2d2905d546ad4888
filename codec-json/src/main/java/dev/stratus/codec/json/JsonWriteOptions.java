package dev.stratus.codec.json;

import dev.stratus.codec.BulkDataSource;
import dev.stratus.codec.Element;

/**
 * How {@link DicomJsonWriter} writes.
 *
 * @param bulkDataThreshold values longer than this many bytes (of the VRs PS3.18 F.2.2 allows a BulkDataURI for,
 *                          and encapsulated pixel data) are offered to {@code bulkDataUris}
 * @param bulkDataUris      gives the BulkDataURI of such a value, or null to write it inline; always asked for
 *                          values left in their source ({@code BulkDataElement} without a uri)
 * @param numbersAsStrings  IS and DS values as JSON strings (F.2.3 allows both; a per-tenant choice) instead of numbers
 * @param bulkDataSource    reads values left in their source when they must be written inline
 */
public record JsonWriteOptions(long bulkDataThreshold, BulkDataUris bulkDataUris, boolean numbersAsStrings,
                               BulkDataSource bulkDataSource) {

    /** Names a value by URI instead of writing it; null means inline. */
    @FunctionalInterface
    public interface BulkDataUris {
        String uriFor(TagPath path, Element element);

        BulkDataUris NONE = (path, element) -> null;
    }

    /** Everything inline, IS/DS as numbers, no source for values left in one. */
    public static final JsonWriteOptions DEFAULT =
            new JsonWriteOptions(Long.MAX_VALUE, BulkDataUris.NONE, false, BulkDataSource.NONE);

    public JsonWriteOptions {
        if (bulkDataUris == null) bulkDataUris = BulkDataUris.NONE;
        if (bulkDataSource == null) bulkDataSource = BulkDataSource.NONE;
    }

    public JsonWriteOptions withBulkData(long threshold, BulkDataUris uris) {
        return new JsonWriteOptions(threshold, uris, numbersAsStrings, bulkDataSource);
    }

    public JsonWriteOptions withNumbersAsStrings(boolean asStrings) {
        return new JsonWriteOptions(bulkDataThreshold, bulkDataUris, asStrings, bulkDataSource);
    }

    public JsonWriteOptions withBulkDataSource(BulkDataSource source) {
        return new JsonWriteOptions(bulkDataThreshold, bulkDataUris, numbersAsStrings, source);
    }
}
