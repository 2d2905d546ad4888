package dev.stratus.imaging;

import java.io.IOException;

/** Compressed pixel data that cannot be decoded as its data set describes it. */
public final class PixelDataException extends IOException {
    public PixelDataException(String message) {
        super(message);
    }

    public PixelDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
