package dev.stratus.imaging;

import java.io.IOException;

/** Decodes one frame of encapsulated pixel data (its fragments joined) into native little endian pixels. */
public interface FrameDecoder {
    /**
     * @param encoded the frame's bytes; a decoder reads no further than its length
     * @param pixel   the data set's description of the frame; the result has these dimensions or the call fails
     * @throws PixelDataException if the bytes are not a frame of that description
     */
    DecodedFrame decode(byte[] encoded, ImagePixel pixel) throws IOException;
}
