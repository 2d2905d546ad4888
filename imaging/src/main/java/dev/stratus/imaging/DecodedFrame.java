package dev.stratus.imaging;

/** One frame of native pixel data, laid out as {@code pixel} says (its photometric may differ from the source's). */
public record DecodedFrame(byte[] pixels, ImagePixel pixel) {
    public DecodedFrame {
        if (pixels.length != pixel.frameBytes()) {
            throw new IllegalArgumentException("decoded frame has " + pixels.length + " bytes, " + pixel + " needs " + pixel.frameBytes());
        }
    }
}
