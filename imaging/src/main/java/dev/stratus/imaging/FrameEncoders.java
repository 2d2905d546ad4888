package dev.stratus.imaging;

import dev.stratus.codec.TransferSyntax;

/** The encoder for each encapsulated transfer syntax this archive writes, or why there is none. */
public final class FrameEncoders {
    public static final String RLE = "1.2.840.10008.1.2.5", JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80",
            JPEG_BASELINE = "1.2.840.10008.1.2.4.50", JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";

    private FrameEncoders() {}

    /** Null if frames can be encoded in {@code ts} here, else why not. */
    public static String unsupported(TransferSyntax ts) {
        if (ts == null) return "unknown transfer syntax";
        return switch (ts.uid()) {
            case RLE, JPEG_BASELINE -> null;
            case JPEG_LS_LOSSLESS -> JpegLsEncoder.available() ? null : ts.name() + " needs " + JpegLsDecoder.CHARLS.absence();
            case JPEG_2000_LOSSLESS -> Jpeg2000Encoder.available() ? null : ts.name() + " needs " + Jpeg2000Decoder.OPENJPEG.absence();
            default -> "this archive does not encode " + ts.name() + " (" + ts.uid() + ")";
        };
    }

    public static boolean canEncode(TransferSyntax ts) {
        return unsupported(ts) == null;
    }

    public static FrameEncoder of(TransferSyntax ts) throws UnsupportedPixelDataException {
        String why = unsupported(ts);
        if (why != null) throw new UnsupportedPixelDataException(why);
        return switch (ts.uid()) {
            case RLE -> new RleEncoder();
            case JPEG_LS_LOSSLESS -> new JpegLsEncoder();
            case JPEG_2000_LOSSLESS -> new Jpeg2000Encoder();
            case JPEG_BASELINE -> new JpegBaselineEncoder(JpegBaselineEncoder.DEFAULT_QUALITY);
            default -> throw new IllegalStateException(ts.uid());
        };
    }
}
