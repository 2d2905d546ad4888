package dev.stratus.web.http;

import java.io.IOException;

/**
 * A multipart body that cannot be parsed. An IOException so that it also surfaces from a part's
 * InputStream; handlers answer 400 with the message, which says what was wrong and where.
 */
public class MultipartException extends IOException {
    public MultipartException(String message) {
        super(message);
    }
}
