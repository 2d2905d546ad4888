package dev.stratus.web.http;

import static dev.stratus.web.http.TrickleInputStream.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MultipartRelatedReaderTest {
    private static final String CT = "multipart/related; type=\"application/dicom\"; boundary=b0undary";

    /** Every part's body as text, read through reads of at most {@code chunk} bytes. */
    private static List<String> bodies(String contentType, String body, int chunk) throws IOException {
        MultipartRelatedReader r = new MultipartRelatedReader(contentType, new TrickleInputStream(bytes(body), chunk, chunk), 0);
        List<String> out = new ArrayList<>();
        for (Optional<MultipartRelatedReader.Part> p; (p = r.next()).isPresent(); ) {
            out.add(new String(p.get().body().readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        assertEquals(Optional.empty(), r.next());
        return out;
    }

    /** The same bodies whatever the network's chunk size. */
    private static void assertBodies(String contentType, String body, String... expected) throws IOException {
        for (int chunk : new int[] {1, 2, 3, 7, 64, 100_000}) {
            assertEquals(List.of(expected), bodies(contentType, body, chunk), "chunk " + chunk);
        }
    }

    @Test
    void partsComeWithTheirHeadersAndBodies() throws IOException {
        String body = "--b0undary\r\n"
                + "Content-Type: application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50\r\n"
                + "Content-Location: /studies/1.2/series/3.4/instances/5.6\r\n"
                + "Content-Length: 5\r\n\r\n"
                + "DICM1\r\n--b0undary\r\n"
                + "content-type: application/dicom\r\n\r\n"
                + "DICM2\r\n--b0undary--\r\n";
        MultipartRelatedReader r = new MultipartRelatedReader(CT, new ByteArrayInputStream(bytes(body)));
        assertEquals("b0undary", r.boundary());
        assertEquals(Optional.of(MediaType.APPLICATION_DICOM), r.type());
        MultipartRelatedReader.Part first = r.next().orElseThrow();
        assertEquals(1, first.number());
        assertEquals(Optional.of("1.2.840.10008.1.2.4.50"), first.transferSyntax());
        assertEquals(Optional.of("/studies/1.2/series/3.4/instances/5.6"), first.contentLocation());
        assertEquals(OptionalLong.of(5), first.contentLength());
        assertEquals("DICM1", new String(first.body().readAllBytes(), StandardCharsets.US_ASCII));
        MultipartRelatedReader.Part second = r.next().orElseThrow();
        assertEquals(2, second.number());
        assertEquals(Optional.of(MediaType.APPLICATION_DICOM), second.contentType());
        assertEquals(Optional.empty(), second.transferSyntax());
        assertEquals(Optional.empty(), second.contentLocation());
        assertEquals(OptionalLong.empty(), second.contentLength());
        assertEquals("DICM2", new String(second.body().readAllBytes(), StandardCharsets.US_ASCII));
        assertEquals(Optional.empty(), r.next());
        assertEquals(Optional.empty(), r.next());
    }

    @Test
    void boundaryAndTypeMayBeQuotedOrNot() throws IOException {
        String body = "--a:b=c\r\n\r\nx\r\n--a:b=c--";
        assertBodies("multipart/related; type=\"application/dicom\"; boundary=\"a:b=c\"", body, "x");
        assertBodies("Multipart/Related; Boundary=a:b=c; Type=application/dicom", body, "x");
        assertEquals(Optional.of(MediaType.APPLICATION_DICOM),
                new MultipartRelatedReader("multipart/related; type=application/dicom; boundary=x", new ByteArrayInputStream(new byte[0])).type());
    }

    @Test
    void aPreambleIsSkipped() throws IOException {
        assertBodies(CT, "This is a preamble; --b0undary inside a line is not a boundary\r\n--b0undary\r\n\r\nx\r\n--b0undary--\r\n", "x");
    }

    @Test
    void aLeadingCrlfIsSkipped() throws IOException {
        assertBodies(CT, "\r\n--b0undary\r\n\r\nx\r\n--b0undary--\r\n", "x");
        assertBodies(CT, "\n--b0undary\n\nx\n--b0undary--\n", "x");
    }

    @Test
    void theCloseDelimiterNeedsNoLineEndAndTheEpilogueIsIgnored() throws IOException {
        assertBodies(CT, "--b0undary\r\n\r\nx\r\n--b0undary--", "x");
        assertBodies(CT, "--b0undary\r\n\r\nx\r\n--b0undary--\r\nthe epilogue\r\n--b0undary\r\n\r\nnot a part", "x");
    }

    @Test
    void transportPaddingAfterABoundaryIsSkipped() throws IOException {
        assertBodies(CT, "--b0undary \t \r\n\r\nx\r\n--b0undary\t\r\n\r\ny\r\n--b0undary--  \r\n", "x", "y");
    }

    @Test
    void lfOnlyLineEndingsAreAccepted() throws IOException {
        String body = "--b0undary\nContent-Type: application/dicom\nContent-Location: a\n\nx\r\n--b0undary\n"
                + "Content-Type: application/dicom\r\n\nline1\nline2\n--b0undary--\n";
        assertBodies(CT, body, "x", "line1\nline2");
        MultipartRelatedReader r = new MultipartRelatedReader(CT, new ByteArrayInputStream(bytes(body)));
        assertEquals(Optional.of("a"), r.next().orElseThrow().contentLocation());
    }

    @Test
    void noPartsAtAll() throws IOException {
        assertBodies(CT, "--b0undary--\r\n");
    }

    @Test
    void emptyBodiesAndBodiesOfLineEnds() throws IOException {
        assertBodies(CT, "--b0undary\r\n\r\n\r\n--b0undary\r\n\r\n\r\n\r\n--b0undary\r\n\r\n\r\r\n--b0undary--", "", "\r\n", "\r");
    }

    @Test
    void boundaryLookalikesInsideTheDataAreData() throws IOException {
        String[] lookalikes = {
            "\r\n--b0und", "\r\n--b0undar", "--b0undary at the start of the body", "x--b0undary\r\n", "\r\n--b0undaryX\r\n",
            "\r\n--b0undary-x", "\r\n--b0undary -", "\r\n--b0undary\t\tx\r\n", "\r\n--b0undary\rx", "\n-\r\n--\r\n--b\r",
            "\r\n--B0UNDARY\r\n", "ends with CR\r", "ends with CRLF\r\n", "ends with a partial boundary\r\n--b0undar",
        };
        StringBuilder body = new StringBuilder("--b0undary\r\n");
        for (String l : lookalikes) body.append("Content-Type: application/octet-stream\r\n\r\n").append(l).append("\r\n--b0undary\r\n");
        body.setLength(body.length() - 2);
        body.append("--");
        assertBodies(CT, body.toString(), lookalikes);
    }

    @Test
    void longTransportPaddingIsData() throws IOException {
        String data = "\r\n--b0undary" + " ".repeat(DelimiterScanner.MAX_PADDING + 1) + "\r\n";
        assertBodies(CT, "--b0undary\r\n\r\n" + data + "\r\n--b0undary--", data);
    }

    @Test
    void foldedHeaderLinesJoin() throws IOException {
        MultipartRelatedReader r = new MultipartRelatedReader(CT, new ByteArrayInputStream(bytes(
                "--b0undary\r\nContent-Type: application/dicom;\r\n transfer-syntax=1.2.840.10008.1.2.1\r\n\r\nx\r\n--b0undary--")));
        assertEquals(Optional.of("1.2.840.10008.1.2.1"), r.next().orElseThrow().transferSyntax());
    }

    @Test
    void abandoningAPartMovesToTheNextAndTheOldStreamSaysSo() throws IOException {
        String big = "0123456789".repeat(10_000);
        String body = "--b0undary\r\n\r\n" + big + "\r\n--b0undary\r\n\r\nsecond\r\n--b0undary--";
        MultipartRelatedReader r = new MultipartRelatedReader(CT, new TrickleInputStream(bytes(body), 500, 1), 0);
        MultipartRelatedReader.Part first = r.next().orElseThrow();
        assertEquals('0', first.body().read());
        first.body().skipNBytes(99_989);
        MultipartRelatedReader.Part second = r.next().orElseThrow();
        MultipartException e = assertThrows(MultipartException.class, () -> first.body().read());
        assertEquals("part 1 cannot be read any more: next() moved past it", e.getMessage());
        assertEquals("second", new String(second.body().readAllBytes(), StandardCharsets.US_ASCII));
        assertEquals(Optional.empty(), r.next());
    }

    @Test
    void readingPastTheEndOfAPartKeepsAnsweringEndOfStream() throws IOException {
        MultipartRelatedReader r = new MultipartRelatedReader(CT, new ByteArrayInputStream(bytes(
                "--b0undary\r\n\r\nab\r\n--b0undary\r\n\r\nc\r\n--b0undary--")));
        MultipartRelatedReader.Part first = r.next().orElseThrow();
        assertEquals('a', first.body().read());
        assertEquals('b', first.body().read());
        assertEquals(-1, first.body().read());
        assertEquals(-1, first.body().read(new byte[10]));
        assertEquals(0, first.body().skip(10));
        assertEquals(0, first.body().available());
        MultipartRelatedReader.Part second = r.next().orElseThrow();
        assertEquals(-1, first.body().read());
        assertArrayEquals(bytes("c"), second.body().readAllBytes());
        assertEquals(-1, second.body().read());
    }

    @Test
    void partsNeverReadAreSkipped() throws IOException {
        MultipartRelatedReader r = new MultipartRelatedReader(CT, new ByteArrayInputStream(bytes(
                "--b0undary\r\n\r\nab\r\n--b0undary\r\n\r\nc\r\n--b0undary\r\n\r\nd\r\n--b0undary--")));
        r.next();
        r.next();
        MultipartRelatedReader.Part third = r.next().orElseThrow();
        assertEquals(3, third.number());
        assertArrayEquals(bytes("d"), third.body().readAllBytes());
    }

    // ---- malformed bodies: the exact message, which says what and where

    private static String failure(String contentType, String body) {
        MultipartException e = assertThrows(MultipartException.class, () -> {
            MultipartRelatedReader r = new MultipartRelatedReader(contentType, new ByteArrayInputStream(bytes(body)));
            for (Optional<MultipartRelatedReader.Part> p; (p = r.next()).isPresent(); ) p.get().body().readAllBytes();
        });
        return e.getMessage();
    }

    /** Found by the STOW fuzzer (app StowFuzzTest): a CR alone in a header line answered 500 (IllegalArgumentException). */
    @Test
    void aCrAloneInsideAHeaderLineIsAMalformedHeaderNamingWhere() {
        assertEquals("malformed header in part 1 at byte 12: 'X-Junk: a\\x0Db' (a CR inside the line)",
                failure(CT, "--b0undary\r\nX-Junk: a\rb\r\n\r\nx\r\n--b0undary--"));
        assertEquals("malformed header in part 1 at byte 12: 'Content\\x0D-Type: x' (a CR inside the line)",
                failure(CT, "--b0undary\r\nContent\r-Type: x\r\n\r\nx\r\n--b0undary--"));
    }

    @Test
    void aContentTypeWithoutBoundaryIsRefused() {
        assertEquals("Content-Type 'multipart/related; type=\"application/dicom\"' has no boundary parameter",
                failure("multipart/related; type=\"application/dicom\"", ""));
        assertEquals("Content-Type 'application/dicom' is not multipart/related", failure("application/dicom", ""));
        assertEquals("boundary '' of Content-Type must be 1 to 200 printable ASCII characters",
                failure("multipart/related; boundary=\"\"", ""));
        assertEquals("malformed media type 'multipart/related; boundary=\"x': unterminated quoted string at position 28",
                failure("multipart/related; boundary=\"x", ""));
    }

    @Test
    void aBodyWithoutBoundaryIsRefused() {
        assertEquals("multipart body ended after 0 bytes without the boundary line '--b0undary'", failure(CT, ""));
        String noBoundary = "DICM and no boundary at all";
        assertEquals("multipart body ended after " + noBoundary.length() + " bytes without the boundary line '--b0undary'",
                failure(CT, noBoundary));
    }

    @Test
    void aBodyEndingInsideAPartIsRefused() {
        String body = "--b0undary\r\n\r\nfirst\r\n--b0undary\r\nContent-Type: application/dicom\r\n\r\nDICM";
        assertEquals("multipart body ended after " + body.length() + " bytes inside part 2, before the boundary '--b0undary' that ends it",
                failure(CT, body));
        assertEquals("multipart body ended after 27 bytes inside part 1, before the boundary '--b0undary' that ends it",
                failure(CT, "--b0undary\r\n\r\nx\r\n--b0undary"));
    }

    @Test
    void aBodyEndingInsideHeadersIsRefused() {
        assertEquals("multipart body ended after 45 bytes inside the headers of part 1, before the empty line that ends them",
                failure(CT, "--b0undary\r\nContent-Type: application/dicom\r\n"));
    }

    @Test
    void aPartWithoutTheEmptyLineAfterItsHeadersIsRefused() {
        assertEquals("part 1 has no empty line after its headers: line at byte 45 is not a header: 'DICM\\x00\\x01binary'",
                failure(CT, "--b0undary\r\nContent-Type: application/dicom\r\nDICM\0\1binary\r\n--b0undary--"));
        assertEquals("part 2 has no empty line after its headers: the next boundary starts at byte 62",
                failure(CT, "--b0undary\r\n\r\nx\r\n--b0undary\r\nContent-Type: application/dicom\r\n--b0undary--"));
    }

    @Test
    void malformedHeadersAreRefused() {
        assertEquals("malformed header in part 1 at byte 12: 'Content Type: application/dicom' (the name is not a token)",
                failure(CT, "--b0undary\r\nContent Type: application/dicom\r\n\r\nx\r\n--b0undary--"));
        assertEquals("malformed header in part 1 at byte 12: ' folded' (a continuation line with no header before it)",
                failure(CT, "--b0undary\r\n folded\r\n\r\nx\r\n--b0undary--"));
        assertEquals("malformed Content-Type in part 2: malformed media type 'dicom': expected '/' after the type at position 5",
                failure(CT, "--b0undary\r\n\r\nx\r\n--b0undary\r\nContent-Type: dicom\r\n\r\nx\r\n--b0undary--"));
        assertEquals("malformed Content-Length in part 1: '12a' is not a number of bytes",
                failure(CT, "--b0undary\r\nContent-Length: 12a\r\n\r\nx\r\n--b0undary--"));
        assertEquals("headers of part 1 are longer than 16384 bytes (at byte 12)",
                failure(CT, "--b0undary\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\nx\r\n--b0undary--"));
    }

    @Test
    void theErrorSurfacesFromThePartStreamAfterItsBytes() throws IOException {
        MultipartRelatedReader r = new MultipartRelatedReader(CT, new ByteArrayInputStream(bytes("--b0undary\r\n\r\n0123456789")));
        var body = r.next().orElseThrow().body();
        byte[] got = new byte[10];
        assertEquals(10, body.readNBytes(got, 0, 10));
        assertArrayEquals(bytes("0123456789"), got);
        MultipartException e = assertThrows(MultipartException.class, body::read);
        assertTrue(e.getMessage().startsWith("multipart body ended after 24 bytes inside part 1"), e.getMessage());
    }

    /**
     * Random bodies dense with pieces of the delimiter (LF, CR, "--", prefixes of the boundary, the boundary
     * followed by other bytes) come back exactly, whatever the buffer size and the network's chunking.
     */
    @Test
    void randomBodiesFullOfDelimiterPiecesComeBackExactly() throws IOException {
        String boundary = "b0undary-7Xq";
        String ct = "multipart/related; type=\"application/dicom\"; boundary=" + boundary;
        String[] pieces = {"\n", "\r\n", "\r", "--", "-", "\n--", "\r\n--b0und", "\n--" + boundary + "x",
                "\n--" + boundary.substring(0, 5), "--" + boundary, "\n-" + boundary, "b0undary", "abc", "\u00ff\u0000"};
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 200; round++) {
            List<String> expected = new ArrayList<>();
            StringBuilder body = new StringBuilder(random.nextBoolean() ? "\r\n" : "");
            int parts = 1 + random.nextInt(4);
            for (int p = 0; p < parts; p++) {
                StringBuilder part;
                do {
                    part = new StringBuilder();
                    int n = random.nextInt(60);
                    for (int i = 0; i < n; i++) part.append(pieces[random.nextInt(pieces.length)]);
                } while (holdsADelimiter("\n" + part + "\r\n", boundary));
                expected.add(part.toString());
                body.append("--").append(boundary).append("\r\nContent-Type: application/dicom\r\n\r\n").append(part).append("\r\n");
            }
            body.append("--").append(boundary).append("--");
            int chunk = 1 + random.nextInt(97);
            int buffer = random.nextBoolean() ? 0 : 64 + random.nextInt(400);
            MultipartRelatedReader r = new MultipartRelatedReader(ct, new TrickleInputStream(bytes(body.toString()), chunk, round), buffer);
            List<String> actual = new ArrayList<>();
            for (Optional<MultipartRelatedReader.Part> p; (p = r.next()).isPresent(); ) {
                actual.add(new String(p.get().body().readAllBytes(), StandardCharsets.ISO_8859_1));
            }
            assertEquals(expected, actual, "round " + round + ", chunk " + chunk + ", buffer " + buffer);
        }
    }

    /** Conservatively: the boundary after LF "--", followed by anything that could end a delimiter line. */
    private static boolean holdsADelimiter(String s, String boundary) {
        String d = "\n--" + boundary;
        for (int i = s.indexOf(d); i >= 0; i = s.indexOf(d, i + 1)) {
            int next = i + d.length();
            if (next >= s.length() || "-\r\n \t".indexOf(s.charAt(next)) >= 0) return true;
        }
        return false;
    }
}
