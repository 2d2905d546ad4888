package dev.stratus.codec;

/**
 * How much of a data set to read. Defaults read everything into memory.
 *
 * @param stopBeforeTag top-level tag at (or after) which reading stops; that element's header is read
 *                      and kept as a {@link BulkDataElement}, its value is not touched (-1: read to the end)
 * @param bulkDataThreshold values of OB/OW/OF/OD/OL/OV/UN longer than this stay in the source as
 *                          {@link BulkDataElement}s, and fragments longer than this are not loaded;
 *                          only honoured where the source can be seeked later (not deflated data)
 * @param maxDepth how deeply sequences may nest before the input is rejected as hostile
 */
public record ReadOptions(int stopBeforeTag, long bulkDataThreshold, int maxDepth) {
    public static final ReadOptions ALL = new ReadOptions(-1, Long.MAX_VALUE, 64);

    /** Everything up to Pixel Data (and the other pixel data tags that follow it), which is kept by reference. */
    public static final ReadOptions HEADER = new ReadOptions(Tag.FloatPixelData, Long.MAX_VALUE, 64);

    public ReadOptions stopBefore(int tag) { return new ReadOptions(tag, bulkDataThreshold, maxDepth); }

    public ReadOptions bulkDataOver(long threshold) { return new ReadOptions(stopBeforeTag, threshold, maxDepth); }
}
