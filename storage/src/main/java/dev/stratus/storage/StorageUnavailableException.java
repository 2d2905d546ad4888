package dev.stratus.storage;

import java.io.IOException;

/**
 * The blob store cannot be reached or refuses service now (an object store down, throttling, credentials refused):
 * nothing was stored or read, and the same call may succeed later. The web layer answers 503 with Retry-After.
 */
public class StorageUnavailableException extends IOException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
