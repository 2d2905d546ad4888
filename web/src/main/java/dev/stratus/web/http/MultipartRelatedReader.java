package dev.stratus.web.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a multipart/related body (RFC 2387, PS3.18 8.6) one part at a time, each part's body a
 * stream that ends at the next boundary; nothing is buffered beyond one fixed-size buffer. Tolerates
 * a preamble, a leading CRLF, transport padding after a boundary, LF-only line endings and a missing
 * line end after the close delimiter. Errors are {@link MultipartException}s saying what and where.
 */
public final class MultipartRelatedReader implements Closeable {
    public static final int DEFAULT_BUFFER_SIZE = 16 * 1024;
    /** The most header bytes one part may have. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    /** RFC 2046 allows 70; some clients send longer ones. */
    private static final int MAX_BOUNDARY_LENGTH = 200;

    /** One part: its number from 1, its headers and its body up to the next boundary. */
    public record Part(int number, PartHeaders headers, InputStream body) {
        public Optional<MediaType> contentType() {
            return headers.contentType();
        }

        public Optional<String> transferSyntax() {
            return headers.transferSyntax();
        }

        public Optional<String> contentLocation() {
            return headers.contentLocation();
        }

        public OptionalLong contentLength() {
            return headers.contentLength();
        }
    }

    private final InputStream in;
    private final MediaType contentType;
    private final String boundary;
    private final DelimiterScanner scanner;
    private int partNumber;
    private PartBody current;
    private boolean finished;

    public MultipartRelatedReader(String contentType, InputStream body) throws MultipartException {
        this(contentType, body, DEFAULT_BUFFER_SIZE);
    }

    public MultipartRelatedReader(String contentType, InputStream body, int bufferSize) throws MultipartException {
        MediaType ct;
        try {
            ct = MediaType.parse(contentType);
        } catch (MalformedHeaderException e) {
            throw new MultipartException(e.getMessage());
        }
        if (!ct.type().equals("multipart")) throw new MultipartException("Content-Type '" + contentType + "' is not multipart/related");
        String b = ct.parameter("boundary").orElseThrow(
                () -> new MultipartException("Content-Type '" + contentType + "' has no boundary parameter"));
        if (b.isEmpty() || b.length() > MAX_BOUNDARY_LENGTH || b.chars().anyMatch(ch -> ch < ' ' || ch > '~')) {
            throw new MultipartException("boundary '" + b + "' of Content-Type must be 1 to " + MAX_BOUNDARY_LENGTH
                    + " printable ASCII characters");
        }
        this.in = body;
        this.contentType = ct;
        this.boundary = b;
        this.scanner = new DelimiterScanner(body, b, Math.max(bufferSize, MAX_HEADER_BYTES + 2), this::truncated);
    }

    public MediaType contentType() {
        return contentType;
    }

    public String boundary() {
        return boundary;
    }

    /** The {@code type} parameter: the media type of the root part, e.g. application/dicom. */
    public Optional<MediaType> type() throws MultipartException {
        Optional<String> t = contentType.parameter("type");
        try {
            return t.map(MediaType::parse);
        } catch (MalformedHeaderException e) {
            throw new MultipartException("type parameter of Content-Type: " + e.getMessage());
        }
    }

    /** How many parts were begun (their headers at least started), counting one that broke off. */
    public int partsStarted() {
        return partNumber;
    }

    /** The next part, skipping what is left of the current one; empty after the close delimiter. */
    public Optional<Part> next() throws IOException {
        if (finished) return Optional.empty();
        if (current != null) current.leave();
        if (scanner.skipToNextPart()) {
            finished = true;
            current = null;
            return Optional.empty();
        }
        partNumber++;
        PartHeaders headers = readHeaders();
        current = new PartBody(partNumber);
        return Optional.of(new Part(partNumber, headers, current));
    }

    /** Closes the request body; parts not read are lost. */
    @Override
    public void close() throws IOException {
        finished = true;
        in.close();
    }

    private PartHeaders readHeaders() throws IOException {
        List<PartHeaders.Header> headers = new ArrayList<>();
        int budget = MAX_HEADER_BYTES;
        while (true) {
            long at = scanner.offset();
            String line = scanner.readLine(Math.min(budget, scanner.capacity() - 2));
            if (line == null) {
                throw new MultipartException("multipart body ended after " + scanner.bytesRead()
                        + " bytes inside the headers of part " + partNumber + ", before the empty line that ends them");
            }
            budget -= line.length() + 2;
            if (budget < 0) {
                throw new MultipartException("headers of part " + partNumber + " are longer than " + MAX_HEADER_BYTES
                        + " bytes (at byte " + at + ")");
            }
            if (line.isEmpty()) break;
            headers.add(header(line, at, headers));
        }
        PartHeaders result = PartHeaders.of(headers);
        try {
            result.contentType();
        } catch (MalformedHeaderException e) {
            throw new MultipartException("malformed Content-Type in part " + partNumber + ": " + e.getMessage());
        }
        try {
            result.contentLength();
        } catch (MalformedHeaderException e) {
            throw new MultipartException("malformed Content-Length in part " + partNumber + ": '"
                    + result.first("Content-Length").orElse("") + "' is not a number of bytes");
        }
        return result;
    }

    /** One {@code Name: value} line; a line starting with a space continues the previous one. */
    private PartHeaders.Header header(String line, long at, List<PartHeaders.Header> previous) throws MultipartException {
        // lines end at CRLF or LF: a CR alone stays in the line, where PartHeaders.Header refuses it
        if (line.indexOf('\r') >= 0) throw malformed(at, line, "a CR inside the line");
        if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
            if (previous.isEmpty()) throw malformed(at, line, "a continuation line with no header before it");
            PartHeaders.Header last = previous.removeLast();
            return new PartHeaders.Header(last.name(), last.value() + " " + line.strip());
        }
        if (line.startsWith("--" + boundary)) {
            throw new MultipartException("part " + partNumber + " has no empty line after its headers: "
                    + "the next boundary starts at byte " + at);
        }
        int colon = line.indexOf(':');
        if (colon < 0) {
            throw new MultipartException("part " + partNumber + " has no empty line after its headers: line at byte "
                    + at + " is not a header: '" + excerpt(line) + "'");
        }
        String name = line.substring(0, colon);
        if (!HeaderCursor.isToken(name)) throw malformed(at, line, "the name is not a token");
        return new PartHeaders.Header(name, line.substring(colon + 1).strip());
    }

    private MultipartException malformed(long at, String line, String why) {
        return new MultipartException("malformed header in part " + partNumber + " at byte " + at + ": '"
                + excerpt(line) + "' (" + why + ")");
    }

    /** The start of a line, binary bytes escaped, for messages. */
    private static String excerpt(String line) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(line.length(), 40); i++) {
            char c = line.charAt(i);
            if (c >= ' ' && c < 127) sb.append(c);
            else sb.append(String.format("\\x%02X", (int) c));
        }
        return line.length() > 40 ? sb.append("...").toString() : sb.toString();
    }

    private MultipartException truncated(long bytesRead) {
        if (partNumber == 0) {
            return new MultipartException("multipart body ended after " + bytesRead
                    + " bytes without the boundary line '--" + boundary + "'");
        }
        return new MultipartException("multipart body ended after " + bytesRead + " bytes inside part "
                + partNumber + ", before the boundary '--" + boundary + "' that ends it");
    }

    /** A part's body: reads through the scanner until its delimiter. */
    private final class PartBody extends InputStream {
        private final int number;
        private final byte[] one = new byte[1];
        private boolean done;
        private boolean left;

        PartBody(int number) {
            this.number = number;
        }

        /** The reader moves to the next part: this one reads no more. */
        void leave() {
            if (!done) left = true;
            done = true;
        }

        private boolean open() throws MultipartException {
            if (left) {
                throw new MultipartException("part " + number + " cannot be read any more: next() moved past it");
            }
            return !done;
        }

        @Override
        public int read() throws IOException {
            int n;
            do {
                n = read(one, 0, 1);
            } while (n == 0);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (!open()) return -1;
            int n = scanner.readBody(b, off, len);
            if (n < 0) done = true;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (!open()) return 0;
            return scanner.skipBody(n);
        }

        @Override
        public int available() throws IOException {
            return open() ? scanner.availableBody() : 0;
        }

        /** Leaves the request body open: the next part is read from it. */
        @Override
        public void close() {}
    }
}
