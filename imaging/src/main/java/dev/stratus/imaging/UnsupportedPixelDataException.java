package dev.stratus.imaging;

import java.io.IOException;

/** Pixel data in a form this archive cannot decode (a syntax, a bit depth, or a native library not installed). */
public final class UnsupportedPixelDataException extends IOException {
    public UnsupportedPixelDataException(String message) {
        super(message);
    }
}
