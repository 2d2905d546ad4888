package dev.stratus.dimse.message;

import java.io.IOException;

/** A command set that cannot be decoded (PS3.7 6.3): no response can be addressed, the association is aborted. */
public class MalformedCommandException extends IOException {
    public MalformedCommandException(String message) {
        super(message);
    }
}
