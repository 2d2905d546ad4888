package dev.stratus.codec;

/**
 * How much one parse may take, so that a hostile object is refused instead of exhausting the heap or the CPU.
 * Exceeding a limit throws {@link ParseBudgetExceededException} naming it.
 *
 * @param maxElements     elements, sequence items and fragments of one data set, counted across every nesting
 *                        level (each costs about 100 bytes of heap however small its value)
 * @param maxDepth        how deeply sequences may nest
 * @param maxValueBytes   bytes of values held in memory, all elements together; values left in the source as
 *                        bulk data ({@link ReadOptions#bulkDataThreshold()}) do not count
 * @param maxInflatedBytes bytes a deflated data set (Deflated Explicit VR Little Endian) may inflate to
 * @param maxInflateRatio inflated bytes per compressed byte a deflated data set may reach once it has inflated
 *                        past {@link #RATIO_FLOOR} (a small object may compress far better: a blank image does)
 */
public record ParseBudget(long maxElements, int maxDepth, long maxValueBytes, long maxInflatedBytes, int maxInflateRatio) {
    /**
     * For objects from outside. 1,000,000 elements: an enhanced multi-frame object holds per frame about ten
     * functional group sequences of a few elements each (50 to 150 elements and items per frame), so this
     * admits some 7,000 to 20,000 frames, and costs at most about 100 MB of heap.
     * 64 MiB of values: with large binary values left as bulk data, a header's values rarely exceed a few MB.
     * 512 MiB inflated and 100:1: deflate reaches about 1,000:1 on zeros, so a bomb is stopped early, while
     * ordinary deflated objects (text, images) compress 2:1 to 10:1.
     */
    public static final ParseBudget DEFAULT = new ParseBudget(1_000_000, 64, 64L << 20, 512L << 20, 100);

    /**
     * The most a configuration may allow; for reading again objects this archive already accepted (within a
     * configured budget, so within this one). Heap is then the real limit; Java arrays stop at 2 GiB.
     */
    public static final ParseBudget MAXIMUM = new ParseBudget(50_000_000, 256, Integer.MAX_VALUE - 16, 64L << 30, 1100);

    /** Inflated bytes below which the ratio is not checked. */
    public static final long RATIO_FLOOR = 16L << 20;

    public ParseBudget {
        if (maxElements < 1 || maxDepth < 1 || maxValueBytes < 0 || maxInflatedBytes < 0 || maxInflateRatio < 1) {
            throw new IllegalArgumentException("parse budget limits must be positive: " + this);
        }
    }

    public ParseBudget withMaxElements(long n) { return new ParseBudget(n, maxDepth, maxValueBytes, maxInflatedBytes, maxInflateRatio); }

    public ParseBudget withMaxDepth(int n) { return new ParseBudget(maxElements, n, maxValueBytes, maxInflatedBytes, maxInflateRatio); }

    public ParseBudget withMaxValueBytes(long n) { return new ParseBudget(maxElements, maxDepth, n, maxInflatedBytes, maxInflateRatio); }

    public ParseBudget withMaxInflatedBytes(long n) { return new ParseBudget(maxElements, maxDepth, maxValueBytes, n, maxInflateRatio); }

    public ParseBudget withMaxInflateRatio(int n) { return new ParseBudget(maxElements, maxDepth, maxValueBytes, maxInflatedBytes, n); }

    /** The limit a parse ran into, in words. */
    public enum Limit {
        ELEMENTS("elements and items"),
        DEPTH("levels of sequence nesting"),
        VALUE_BYTES("bytes of values held in memory"),
        INFLATED_BYTES("inflated bytes"),
        INFLATE_RATIO("inflated bytes per compressed byte");

        private final String words;

        Limit(String words) { this.words = words; }

        public String words() { return words; }
    }
}
