package dev.stratus.imaging;

import java.io.IOException;

/** Encodes one native frame into the bytes of one encapsulated frame (a single fragment) of a transfer syntax. */
public interface FrameEncoder {
    /** The Image Pixel description of the encoded frames (photometric and planar configuration may change). */
    ImagePixel encodedPixel(ImagePixel source) throws UnsupportedPixelDataException;

    byte[] encode(DecodedFrame frame) throws IOException;

    /** Whether the encoding loses information (PS3.3 C.7.6.1.1.5: the result is then marked lossy). */
    default boolean lossy() { return false; }

    /** The Lossy Image Compression Method (C.7.6.1.1.5.1) of a lossy encoder. */
    default String method() { return null; }
}
