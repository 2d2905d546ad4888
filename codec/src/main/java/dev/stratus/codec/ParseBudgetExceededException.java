package dev.stratus.codec;

/**
 * An object larger or more complex than the {@link ParseBudget} allows: not malformed, but refused to bound
 * the memory and time one parse may take. Says which limit, its value, and where (byte offset and tag path).
 */
public final class ParseBudgetExceededException extends DicomParseException {
    private final ParseBudget.Limit limit;
    private final long max;

    public ParseBudgetExceededException(ParseBudget.Limit limit, long max, String detail, long offset, int tag, String path) {
        super(offset, tag, "over the parse budget of " + String.format("%,d", max) + " " + limit.words()
                + (detail == null ? "" : " (" + detail + ")") + (path.isEmpty() ? "" : " in " + path));
        this.limit = limit;
        this.max = max;
    }

    /** Which limit was exceeded. */
    public ParseBudget.Limit limit() { return limit; }

    /** The limit's value. */
    public long max() { return max; }
}
