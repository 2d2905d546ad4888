package dev.stratus.archive.metadata;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BaseUriInserterTest {
    private static final String BASE = "http://h:8080/dicomweb/";

    /** A stream that hands out at most {@code max} bytes per read, to cut markers anywhere. */
    private static InputStream trickle(byte[] data, int max) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, max));
            }
        };
    }

    private static String copy(String doc, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BaseUriInserter.copy(trickle(doc.getBytes(StandardCharsets.UTF_8), max), out, BASE);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theBaseGoesBeforeEveryBulkDataUriWhereverTheReadsCut() throws IOException {
        Random random = new Random(7);
        StringBuilder doc = new StringBuilder("[");
        StringBuilder expected = new StringBuilder("[");
        for (int i = 0; i < 3000; i++) {
            String filler = "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Ünïcode^" + random.nextInt(1000) + "\"}]},";
            String uri = "studies/1.2/series/3.4/instances/5." + i + "/bulkdata/" + i + "-100";
            doc.append(filler).append("\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"").append(uri).append("\"}},");
            expected.append(filler).append("\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"").append(BASE).append(uri).append("\"}},");
        }
        doc.append("\"BulkDataURI\"]");         // a near-marker at the very end stays as it is
        expected.append("\"BulkDataURI\"]");
        for (int max : new int[] {1, 2, 7, 15, 16, 1000, 70_000, Integer.MAX_VALUE}) {
            assertEquals(expected.toString(), copy(doc.toString(), max), "reads of at most " + max + " bytes");
        }
        assertEquals("", copy("", 5));
    }
}
