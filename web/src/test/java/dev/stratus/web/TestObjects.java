package dev.stratus.web;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Generated series as STOW-RS parts (see {@link GeneratedCt}) and the splitting of multipart responses. */
final class TestObjects {
    private TestObjects() {}

    /** A series of n generated instances, as Part 10 files. */
    static List<byte[]> series(String study, String series, int n, String patientName, String patientId) throws IOException {
        List<byte[]> files = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            files.add(GeneratedCt.part10(GeneratedCt.ct(study, series, Uids.generate(), patientName, patientId, i),
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        }
        return files;
    }

    /** Splits a multipart/related response into its part bodies. */
    static List<byte[]> parts(String contentType, byte[] body) {
        String boundary = null;
        for (String p : contentType.split(";")) {
            String t = p.strip();
            if (t.toLowerCase().startsWith("boundary=")) boundary = t.substring(9).replace("\"", "");
        }
        if (boundary == null) throw new AssertionError("no boundary in " + contentType);
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        List<byte[]> parts = new ArrayList<>();
        int at = text.indexOf(delimiter);
        while (at >= 0) {
            int next = text.indexOf("\r\n" + delimiter, at + delimiter.length());
            if (next < 0) break;
            int headersEnd = text.indexOf("\r\n\r\n", at);
            parts.add(text.substring(headersEnd + 4, next).getBytes(StandardCharsets.ISO_8859_1));
            at = next + 2;
        }
        return parts;
    }
}
