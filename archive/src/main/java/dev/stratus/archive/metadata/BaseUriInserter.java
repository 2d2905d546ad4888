package dev.stratus.archive.metadata;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Serves a stored metadata document for a request: copies the bytes, inserting the request's DICOMweb
 * base URL at the start of every BulkDataURI (stored documents hold them relative, since the base
 * depends on how the client reached the archive).
 */
public final class BaseUriInserter extends OutputStream {
    private static final byte[] MARKER = "\"BulkDataURI\":\"".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] base;
    private int matched;

    public BaseUriInserter(OutputStream out, String base) {
        this.out = out;
        this.base = base.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        matched = (byte) b == MARKER[matched] ? matched + 1 : ((byte) b == MARKER[0] ? 1 : 0);
        if (matched == MARKER.length) {
            out.write(base);
            matched = 0;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            matched = c == MARKER[matched] ? matched + 1 : (c == MARKER[0] ? 1 : 0);
            if (matched == MARKER.length) {
                out.write(b, start, i + 1 - start);
                out.write(base);
                start = i + 1;
                matched = 0;
            }
        }
        out.write(b, start, off + len - start);
    }

    @Override
    public void flush() throws IOException { out.flush(); }
}
