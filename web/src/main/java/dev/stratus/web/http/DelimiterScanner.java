package dev.stratus.web.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a multipart stream at its delimiters (RFC 2046 5.1.1) through one fixed buffer, so a part
 * of any size passes with constant memory. The delimiter searched is LF "--" boundary; a CR before
 * it also belongs to it, and it counts only when followed by "--" or by padding and a line end.
 */
final class DelimiterScanner {
    /** Builds the error for a stream that ends before the delimiter being looked for. */
    interface Truncation {
        MultipartException after(long bytesRead);
    }

    static final int MAX_PADDING = 256;
    private static final int NEED_MORE = -1;
    private static final int NOT_DELIMITER = -2;

    private final InputStream in;
    private final byte[] pattern;
    private final int patternLast;
    private final int[] shift = new int[256]; // Horspool: how far the window may move, by its last byte
    private final byte[] buf;
    private final Truncation truncation;
    private int pos;
    private int limit;
    private long bufOffset = -1; // buf[0] starts as a virtual LF so the body may open with its boundary
    private long bytesRead;
    private boolean eof;
    private int scanFrom;        // where the next search for a delimiter resumes
    private int safeEnd;         // buf[pos, safeEnd) is known to be body
    private int bodyEnd = -1;    // where the body ends, once its delimiter is found
    private int delimiterEnd;    // just after the delimiter line found
    private boolean closing;     // the delimiter found is the close delimiter

    DelimiterScanner(InputStream in, String boundary, int bufferSize, Truncation truncation) {
        this.in = in;
        this.pattern = ("\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.patternLast = pattern[pattern.length - 1] & 0xff;
        Arrays.fill(shift, pattern.length);
        for (int j = 0; j < pattern.length - 1; j++) shift[pattern[j] & 0xff] = pattern.length - 1 - j;
        this.buf = new byte[Math.max(bufferSize, 2 * (pattern.length + MAX_PADDING + 4))];
        this.truncation = truncation;
        buf[0] = '\n';
        limit = 1;
    }

    int capacity() {
        return buf.length;
    }

    long bytesRead() {
        return bytesRead;
    }

    /** The stream offset of the next unread byte. */
    long offset() {
        return bufOffset + pos;
    }

    /** Reads body bytes up to the next delimiter; -1 once it is reached. */
    int readBody(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!ensureBody()) return -1;
        int n = Math.min(len, safeEnd - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Skips at most {@code max} body bytes; 0 at the delimiter. */
    long skipBody(long max) throws IOException {
        if (max <= 0 || !ensureBody()) return 0;
        int n = (int) Math.min(max, safeEnd - pos);
        pos += n;
        return n;
    }

    /** Body bytes readable without blocking. */
    int availableBody() {
        return safeEnd - pos;
    }

    /** Skips the rest of the body and its delimiter line; true if that was the close delimiter. */
    boolean skipToNextPart() throws IOException {
        while (ensureBody()) pos = safeEnd;
        pos = delimiterEnd;
        bodyEnd = -1;
        scanFrom = safeEnd = pos;
        return closing;
    }

    /**
     * One line without its CRLF or LF, as ISO-8859-1 (byte for byte); null at the end of the stream.
     * A line with no end within {@code max} bytes comes back as its first max + 1 characters.
     */
    String readLine(int max) throws IOException {
        int searched = 0;
        while (true) {
            for (int i = pos + searched; i < limit; i++) {
                if (buf[i] != '\n') continue;
                int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                if (end - pos > max) break;
                String line = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                pos = i + 1;
                scanFrom = safeEnd = pos;
                return line;
            }
            searched = limit - pos;
            if (searched > max) return new String(buf, pos, max + 1, StandardCharsets.ISO_8859_1);
            if (eof) {
                // the last line may lack its end; the caller sees it and then the end
                if (pos == limit) return null;
                String line = new String(buf, pos, limit - pos, StandardCharsets.ISO_8859_1);
                pos = scanFrom = safeEnd = limit;
                return line;
            }
            fill();
        }
    }

    /** Makes body bytes available at pos; false once the body's delimiter is reached. */
    private boolean ensureBody() throws IOException {
        while (pos == safeEnd) {
            if (bodyEnd >= 0) return false;
            search();
            if (pos < safeEnd || bodyEnd >= 0) continue;
            if (eof) throw truncation.after(bytesRead);
            fill();
        }
        return true;
    }

    /**
     * Advances safeEnd as far as the data allows; sets bodyEnd when a delimiter is found. Whole delimiters are
     * found by Boyer-Moore-Horspool (most body bytes are skipped, not looked at: pixel data is full of LFs);
     * the last pattern-length bytes are then checked one by one for a delimiter cut off by the buffer's end.
     */
    private void search() {
        int m = pattern.length;
        int i = scanFrom;
        while (i + m <= limit) {
            int last = buf[i + m - 1] & 0xff;
            if (last == patternLast && Arrays.equals(buf, i, i + m, pattern, 0, m)) {
                int end = delimiterLineEnd(i + m);
                if (end == NEED_MORE && !eof) {
                    awaitMore(i);
                    return;
                }
                if (end >= 0) {
                    found(i, end);
                    return;
                }
            }
            i += shift[last];
        }
        for (i = Math.max(scanFrom, limit - m + 1); i < limit; i++) {
            if (buf[i] == '\n' && !eof && Arrays.equals(buf, i, limit, pattern, 0, limit - i)) {
                awaitMore(i);
                return;
            }
        }
        awaitMore(limit);
    }

    private void found(int i, int end) {
        bodyEnd = i - 1 >= pos && buf[i - 1] == '\r' ? i - 1 : i;
        delimiterEnd = end;
        scanFrom = i;
        safeEnd = bodyEnd;
    }

    /** Everything before {@code candidate} is body; a delimiter may start there once more bytes arrive. */
    private void awaitMore(int candidate) {
        scanFrom = candidate;
        // a CR at the end may start the CRLF of a delimiter not yet read
        safeEnd = !eof && candidate > pos && buf[candidate - 1] == '\r' ? candidate - 1 : candidate;
    }

    /** After a boundary at j: "--", or transport padding then CRLF or LF; index after it. */
    private int delimiterLineEnd(int j) {
        if (j >= limit) return NEED_MORE;
        if (buf[j] == '-') {
            if (j + 1 >= limit) return NEED_MORE;
            closing = true;
            return buf[j + 1] == '-' ? j + 2 : NOT_DELIMITER;
        }
        closing = false;
        int k = j;
        while (k < limit && (buf[k] == ' ' || buf[k] == '\t')) {
            if (++k - j > MAX_PADDING) return NOT_DELIMITER;
        }
        if (k >= limit) return NEED_MORE;
        if (buf[k] == '\n') return k + 1;
        if (buf[k] != '\r') return NOT_DELIMITER;
        if (k + 1 >= limit) return NEED_MORE;
        return buf[k + 1] == '\n' ? k + 2 : NOT_DELIMITER;
    }

    /** Moves the unread bytes to the front and reads more after them. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            scanFrom -= pos;
            safeEnd -= pos;
            bufOffset += pos;
            pos = 0;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
            bytesRead += n;
        }
    }
}
