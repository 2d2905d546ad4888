package dev.stratus.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds multipart/related request bodies the way different clients do. */
final class Multipart {
    private final String boundary;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private String contentType;

    Multipart() {
        this("stratus-test-boundary");
    }

    Multipart(String boundary) {
        this.boundary = boundary;
        this.contentType = "multipart/related; type=\"application/dicom\"; boundary=\"" + boundary + "\"";
    }

    Multipart contentType(String ct) {
        this.contentType = ct;
        return this;
    }

    Multipart raw(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    Multipart part(byte[] body) {
        return part("application/dicom", body);
    }

    Multipart part(String partContentType, byte[] body) {
        raw("\r\n--" + boundary + "\r\nContent-Type: " + partContentType + "\r\n\r\n");
        out.writeBytes(body);
        return this;
    }

    Multipart end() {
        return raw("\r\n--" + boundary + "--\r\n");
    }

    String contentType() { return contentType; }

    byte[] bytes() { return out.toByteArray(); }
}
