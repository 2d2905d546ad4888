package dev.stratus.web.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MultipartRelatedWriterTest {
    @Test
    void contentTypeNamesTheTypeAndANewBoundary() {
        MultipartRelatedWriter w = new MultipartRelatedWriter(new ByteArrayOutputStream(), "application/dicom");
        assertTrue(w.boundary().matches("[0-9A-Za-z]{32}"), w.boundary());
        assertEquals("multipart/related; type=\"application/dicom\"; boundary=" + w.boundary(), w.contentType());
        assertNotEquals(w.boundary(), new MultipartRelatedWriter(new ByteArrayOutputStream(), "application/dicom").boundary());
    }

    @Test
    void otherParametersAndAGivenBoundaryAreKept() {
        MediaType t = MediaType.parse("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50");
        assertEquals(t + "; boundary=", new MultipartRelatedWriter(new ByteArrayOutputStream(), t).contentType().replaceAll("[0-9A-Za-z]{32}$", ""));
        MultipartRelatedWriter given = new MultipartRelatedWriter(new ByteArrayOutputStream(), t.withParameter("boundary", "fixed"));
        assertEquals("fixed", given.boundary());
        assertThrows(IllegalArgumentException.class, () -> new MultipartRelatedWriter(new ByteArrayOutputStream(), MediaType.APPLICATION_DICOM));
    }

    @Test
    void writesBoundariesHeadersBodiesAndTheCloseDelimiter() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultipartRelatedWriter w = new MultipartRelatedWriter(out, MediaType.parse("multipart/related; type=application/dicom; boundary=B"));
        w.part("application/dicom", new ByteArrayInputStream("DICM1".getBytes(StandardCharsets.US_ASCII)));
        w.part(PartHeaders.of("Content-Type", "application/dicom; transfer-syntax=1.2.840.10008.1.2.1", "Content-Location", "/i/2"),
                o -> o.write("DICM2".getBytes(StandardCharsets.US_ASCII)));
        w.finish();
        w.finish();
        assertEquals(2, w.parts());
        assertEquals("--B\r\nContent-Type: application/dicom\r\n\r\nDICM1\r\n"
                + "--B\r\nContent-Type: application/dicom; transfer-syntax=1.2.840.10008.1.2.1\r\nContent-Location: /i/2\r\n\r\nDICM2\r\n"
                + "--B--\r\n", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void noPartsIsJustTheCloseDelimiter() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultipartRelatedWriter w = new MultipartRelatedWriter(out, MediaType.parse("multipart/related; boundary=B"));
        w.finish();
        assertEquals("--B--\r\n", out.toString(StandardCharsets.US_ASCII));
        MultipartRelatedReader r = new MultipartRelatedReader(w.contentType(), new ByteArrayInputStream(out.toByteArray()));
        assertEquals(Optional.empty(), r.next());
    }

    @Test
    void aCallbackClosingItsStreamDoesNotCloseTheResponse() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        MultipartRelatedWriter w = new MultipartRelatedWriter(out, "application/dicom");
        w.part(PartHeaders.EMPTY, o -> {
            o.write('x');
            o.close();
        });
        w.finish();
        assertEquals(false, closed[0]);
        assertTrue(out.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\nx\r\n--" + w.boundary() + "--\r\n"));
    }

    @Test
    void partsAfterFinishAreRefused() throws IOException {
        MultipartRelatedWriter w = new MultipartRelatedWriter(new ByteArrayOutputStream(), "application/dicom");
        w.finish();
        assertThrows(IllegalStateException.class, () -> w.part("application/dicom", new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void headerValuesCannotCarryLineBreaks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PartHeaders.of("Content-Location", "/a\r\n--B--"));
        assertEquals("line break in header Content-Location", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PartHeaders.of("Bad Name", "x"));
    }

    @Test
    void lengthIsTheNumberOfBytesTheWholeBodyTakes() throws IOException {
        for (int parts = 0; parts <= 3; parts++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MultipartRelatedWriter w = new MultipartRelatedWriter(out, "application/dicom");
            java.util.List<PartHeaders> headers = new java.util.ArrayList<>();
            long[] sizes = new long[parts];
            for (int k = 0; k < parts; k++) {
                headers.add(PartHeaders.of("Content-Type", "application/dicom", "Content-Location", "/studies/1/instances/" + k));
                sizes[k] = 70_000L * k + 3;
            }
            long expected = w.length(headers, sizes);
            for (int k = 0; k < parts; k++) {
                byte[] body = new byte[(int) sizes[k]];
                w.part(headers.get(k), o -> o.write(body));
            }
            w.finish();
            assertEquals(out.size(), expected, parts + " parts");
        }
    }
}
