package dev.stratus.archive.metadata;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Serves a stored metadata document for a request: copies the bytes, inserting the request's DICOMweb
 * base URL at the start of every BulkDataURI (stored documents hold them relative, since the base
 * depends on how the client reached the archive).
 */
public final class BaseUriInserter {
    private static final String MARKER = "\"BulkDataURI\":\"";
    private static final int CHUNK = 64 * 1024;

    private BaseUriInserter() {}

    /**
     * Copies {@code in} to {@code out} with {@code base} after every marker. The marker is found with
     * String.indexOf over a Latin-1 view of each chunk (vectorized by the JDK, where a byte loop is slow until
     * the JIT gets to it); the last marker-length - 1 bytes of a chunk wait for the next, as a marker may span both.
     */
    public static void copy(InputStream in, OutputStream out, String base) throws IOException {
        byte[] baseBytes = base.getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[CHUNK];
        int n = 0;
        while (true) {
            int read = in.read(buf, n, buf.length - n);
            boolean end = read < 0;
            if (!end) n += read;
            String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            int start = 0;
            for (int i = text.indexOf(MARKER); i >= 0; i = text.indexOf(MARKER, start)) {
                int after = i + MARKER.length();
                out.write(buf, start, after - start);
                out.write(baseBytes);
                start = after;
            }
            int keep = end ? 0 : Math.min(n - start, MARKER.length() - 1);
            out.write(buf, start, n - start - keep);
            System.arraycopy(buf, n - keep, buf, 0, keep);
            n = keep;
            if (end) return;
        }
    }

    /** Where the BulkDataURIs of {@code json} start: the offsets right after each marker. */
    static int[] uriStarts(byte[] json) {
        String text = new String(json, StandardCharsets.ISO_8859_1);
        int[] starts = new int[4];
        int n = 0;
        for (int i = text.indexOf(MARKER); i >= 0; i = text.indexOf(MARKER, i + MARKER.length())) {
            if (n == starts.length) starts = java.util.Arrays.copyOf(starts, 2 * n);
            starts[n++] = i + MARKER.length();
        }
        return java.util.Arrays.copyOf(starts, n);
    }
}
