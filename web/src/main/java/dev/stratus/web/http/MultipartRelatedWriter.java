package dev.stratus.web.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/**
 * Writes a multipart/related response (RFC 2387, PS3.18 8.6) part by part, streaming each body.
 * Send {@link #contentType()} as the response's Content-Type, write the parts, then {@link #finish()}, which
 * flushes: bytes are buffered into writes of {@link #WRITE_SIZE} until then.
 */
public final class MultipartRelatedWriter {
    /** Writes one part's body; the stream given must not be closed (closing it does nothing). */
    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BOUNDARY_CHARS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final byte[] CRLF = {'\r', '\n'};

    /** Parts are gathered into writes of this size: a series of small instances would otherwise be a write or two per part. */
    static final int WRITE_SIZE = 1 << 16;

    private final OutputStream raw;
    private final Gathered out;
    private final MediaType contentType;
    private final byte[] dashBoundary;
    private int parts;
    private boolean finished;

    /** A writer for parts of this type ({@code application/dicom}, ...) under a new boundary. */
    public MultipartRelatedWriter(OutputStream out, String type) {
        this(out, MediaType.MULTIPART_RELATED.withParameter("type", type));
    }

    /**
     * A writer for this multipart/related type (with {@code type}, {@code transfer-syntax}, ...); a
     * boundary is added unless it has one.
     */
    public MultipartRelatedWriter(OutputStream out, MediaType multipartType) {
        if (!multipartType.type().equals("multipart")) throw new IllegalArgumentException("not multipart: " + multipartType);
        this.raw = out;
        this.out = new Gathered(out);
        this.contentType = multipartType.parameter("boundary").isPresent()
                ? multipartType : multipartType.withParameter("boundary", newBoundary());
        this.dashBoundary = ("--" + boundary()).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * 32 random letters and digits: unguessable, so stored data cannot forge a part. One draw of random bytes, not one
     * per letter (each draw of the system's generator takes a lock: 6% of a frame request's Java time).
     */
    public static String newBoundary() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        char[] cs = new char[32];
        for (int i = 0; i < cs.length; i++) cs[i] = BOUNDARY_CHARS[(random[i] & 0xff) % BOUNDARY_CHARS.length];
        return new String(cs);
    }

    public String boundary() {
        return contentType.parameter("boundary").orElseThrow();
    }

    /** The response's Content-Type: {@code multipart/related; type="application/dicom"; boundary=...}. */
    public String contentType() {
        return contentType.toString();
    }

    public MediaType mediaType() {
        return contentType;
    }

    /** Parts written so far. */
    public int parts() {
        return parts;
    }

    public void part(String partContentType, InputStream body) throws IOException {
        part(PartHeaders.of("Content-Type", partContentType), body);
    }

    public void part(PartHeaders headers, InputStream body) throws IOException {
        part(headers, o -> body.transferTo(o));
    }

    public void part(PartHeaders headers, BodyWriter body) throws IOException {
        if (finished) throw new IllegalStateException("multipart body already finished");
        startPart(headers);
        body.writeTo(new PartBody());
        parts++;
    }

    /**
     * A part's body: gathered into the writer's writes, but a large buffer goes to the response as it is, after what
     * is gathered so far ({@link BufferWrites}).
     */
    final class PartBody extends OutputStream {
        private PartBody() {}

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        void write(ByteBuffer buffer) throws IOException {
            if (buffer.remaining() < WRITE_SIZE) {
                BufferWrites.write(out, buffer);
                return;
            }
            out.drain();
            BufferWrites.write(raw, buffer);
        }

        @Override
        public void close() {}
    }

    /** Buffered writes that can be handed on without a flush (a flush would make the response send a write of its own). */
    private static final class Gathered extends BufferedOutputStream {
        Gathered(OutputStream out) {
            super(out, WRITE_SIZE);
        }

        synchronized void drain() throws IOException {
            if (count == 0) return;
            out.write(buf, 0, count);
            count = 0;
        }
    }

    /** Writes the close delimiter and flushes; the stream stays open. Does nothing the second time. */
    public void finish() throws IOException {
        if (finished) return;
        finished = true;
        if (parts > 0) out.write(CRLF);
        out.write(dashBoundary);
        out.write(new byte[] {'-', '-', '\r', '\n'});
        out.flush();
    }

    /** The CRLF ending the previous body, the boundary line, the headers and the empty line. */
    private void startPart(PartHeaders headers) throws IOException {
        out.write(partStart(headers, parts == 0));
    }

    private byte[] partStart(PartHeaders headers, boolean first) {
        StringBuilder sb = new StringBuilder(first ? "" : "\r\n");
        sb.append(new String(dashBoundary, StandardCharsets.US_ASCII)).append("\r\n");
        for (PartHeaders.Header h : headers.all()) sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The exact length of a whole body of these parts with bodies of these lengths, written from the start: a response
     * can send it as its Content-Length rather than in chunks.
     */
    public long length(List<PartHeaders> headers, long[] bodyLengths) {
        if (headers.size() != bodyLengths.length) throw new IllegalArgumentException("one body length per part");
        long n = 0;
        for (int i = 0; i < bodyLengths.length; i++) n += partStart(headers.get(i), i == 0).length + bodyLengths[i];
        return n + (headers.isEmpty() ? 0 : CRLF.length) + dashBoundary.length + 4;
    }
}
