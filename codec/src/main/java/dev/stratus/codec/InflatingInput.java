package dev.stratus.codec;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Inflates a deflated data set (PS3.5 A.5, raw deflate) and stops a decompression bomb: past the budget's
 * inflated size, or past its ratio once {@link ParseBudget#RATIO_FLOOR} bytes came out, it throws
 * {@link OverBudget}, which the reader turns into a {@link ParseBudgetExceededException} saying where.
 */
final class InflatingInput extends InflaterInputStream {
    private final ParseBudget budget;

    InflatingInput(InputStream raw, ParseBudget budget) {
        super(raw, new Inflater(true), 64 * 1024);
        this.budget = budget;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) check();
        return n;
    }

    private void check() throws OverBudget {
        long out = inf.getBytesWritten(), in = Math.max(1, inf.getBytesRead());
        if (out > budget.maxInflatedBytes()) {
            throw new OverBudget(ParseBudget.Limit.INFLATED_BYTES, budget.maxInflatedBytes(), "from " + in + " compressed bytes");
        }
        if (out > ParseBudget.RATIO_FLOOR && out / in >= budget.maxInflateRatio()) {
            throw new OverBudget(ParseBudget.Limit.INFLATE_RATIO, budget.maxInflateRatio(), out + " bytes from " + in);
        }
    }

    /** Frees the inflater's native memory now (InflaterInputStream leaves an Inflater it was given to the GC). */
    void end() {
        inf.end();
    }

    /** A limit reached below the reader, which knows where it was. */
    static final class OverBudget extends IOException {
        final ParseBudget.Limit limit;
        final long max;
        final String detail;

        OverBudget(ParseBudget.Limit limit, long max, String detail) {
            super("over the parse budget of " + max + " " + limit.words());
            this.limit = limit;
            this.max = max;
            this.detail = detail;
        }
    }
}
