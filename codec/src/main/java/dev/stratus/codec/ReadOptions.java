package dev.stratus.codec;

/**
 * How much of a data set to read, and within which {@link ParseBudget}. Defaults read everything into memory,
 * within {@link ParseBudget#DEFAULT}.
 *
 * @param stopBeforeTag top-level tag at (or after) which reading stops; that element's header is read
 *                      and kept as a {@link BulkDataElement}, its value is not touched (-1: read to the end)
 * @param bulkDataThreshold values of OB/OW/OF/OD/OL/OV/UN longer than this stay in the source as
 *                          {@link BulkDataElement}s, and fragments longer than this are not loaded. In a deflated
 *                          data set their offsets count inflated bytes from the data set's start
 *                          ({@link DicomFile#dataSetOffset()} plus inflated bytes before the value)
 * @param budget the limits that refuse a hostile object
 * @param textThreshold values of the long text VRs (LT, ST, UC, UR, UT) longer than this stay in the source as
 *                      {@link BulkDataElement}s, like bulk data: a reader that writes them out (metadata) then holds
 *                      one piece of one value at a time, not every value of the object at once
 */
public record ReadOptions(int stopBeforeTag, long bulkDataThreshold, ParseBudget budget, long textThreshold) {
    public static final ReadOptions ALL = new ReadOptions(-1, Long.MAX_VALUE, ParseBudget.DEFAULT, Long.MAX_VALUE);

    /** Everything up to Pixel Data (and the other pixel data tags that follow it), which is kept by reference. */
    public static final ReadOptions HEADER = new ReadOptions(Tag.FloatPixelData, Long.MAX_VALUE, ParseBudget.DEFAULT, Long.MAX_VALUE);

    public ReadOptions {
        if (budget == null) throw new IllegalArgumentException("a parse budget is required");
    }

    public ReadOptions stopBefore(int tag) { return new ReadOptions(tag, bulkDataThreshold, budget, textThreshold); }

    public ReadOptions bulkDataOver(long threshold) { return new ReadOptions(stopBeforeTag, threshold, budget, textThreshold); }

    public ReadOptions within(ParseBudget b) { return new ReadOptions(stopBeforeTag, bulkDataThreshold, b, textThreshold); }

    public ReadOptions textOver(long threshold) { return new ReadOptions(stopBeforeTag, bulkDataThreshold, budget, threshold); }

    /** Whether a value of {@code vr} and {@code length} bytes stays in the source. */
    public boolean leavesInSource(VR vr, long length) {
        return vr.isBulk() ? length > bulkDataThreshold : length > textThreshold && (vr.kind() == VR.Kind.TEXT || vr == VR.UC);
    }
}
