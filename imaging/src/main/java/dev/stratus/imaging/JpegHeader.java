package dev.stratus.imaging;

/** What the start-of-frame segment of a JPEG stream (ITU T.81 B.2.2, T.87 for JPEG-LS) says, read before decoding. */
record JpegHeader(int marker, int precision, int height, int width, int components) {

    boolean lossless() { return marker == 0xC3 || marker == 0xC7 || marker == 0xCB || marker == 0xCF; }

    /** Walks the marker segments up to the first SOFn; PixelDataException if there is none within the bytes. */
    static JpegHeader parse(byte[] b) throws PixelDataException {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) throw new PixelDataException("frame does not start with a JPEG SOI marker");
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) throw new PixelDataException("JPEG marker expected at byte " + pos + " of the frame");
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                pos++;
                continue;
            }
            int length = (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC || marker == 0xF7;
            if (sof) {
                if (pos + 10 > b.length) break;
                return new JpegHeader(marker, b[pos + 4] & 0xFF, (b[pos + 5] & 0xFF) << 8 | (b[pos + 6] & 0xFF),
                        (b[pos + 7] & 0xFF) << 8 | (b[pos + 8] & 0xFF), b[pos + 9] & 0xFF);
            }
            if (length < 2) throw new PixelDataException("JPEG segment at byte " + pos + " has length " + length);
            pos += 2 + length;
        }
        throw new PixelDataException("JPEG frame of " + b.length + " bytes has no start-of-frame segment");
    }
}
