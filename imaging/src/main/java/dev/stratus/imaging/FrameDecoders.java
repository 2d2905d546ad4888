package dev.stratus.imaging;

import dev.stratus.codec.TransferSyntax;

/** The decoder for each encapsulated transfer syntax (PS3.5 Annex A.4), or why there is none. */
public final class FrameDecoders {
    /**
     * Made on the first decode, not on the first question: opening the native libraries, linking their functions
     * (classes generated, compiled) and ImageIO's registry was up to a sixth of a fresh server's CPU over its first
     * 200 frames of uncompressed CT (perf), which ask {@link #canDecode} alone.
     */
    private static final class Decoders {
        static final FrameDecoder RLE = new RleDecoder(), JPEG = new JpegDecoder(), JPEG_LS = new JpegLsDecoder(),
                JPEG_2000 = new Jpeg2000Decoder();
    }

    private FrameDecoders() {}

    /** The decoder of {@code ts}; UnsupportedPixelDataException saying why if there is none here. */
    public static FrameDecoder of(TransferSyntax ts) throws UnsupportedPixelDataException {
        String why = unsupported(ts);
        if (why != null) throw new UnsupportedPixelDataException(why);
        return switch (family(ts.uid())) {
            case "rle" -> Decoders.RLE;
            case "jpeg" -> Decoders.JPEG;
            case "jpeg-ls" -> Decoders.JPEG_LS;
            case "jpeg-2000" -> Decoders.JPEG_2000;
            default -> throw new IllegalStateException(ts.uid());
        };
    }

    /** Whether pixel data in {@code ts} can be decoded here. */
    public static boolean canDecode(TransferSyntax ts) {
        return ts != null && unsupported(ts) == null;
    }

    /** Null if frames of {@code ts} can be decoded here, else why not (naming the package to install if that would help). */
    public static String unsupported(TransferSyntax ts) {
        if (ts == null) return "unknown transfer syntax";
        if (!ts.encapsulated()) return ts.name() + " is not compressed";
        return switch (family(ts.uid())) {
            case "rle", "jpeg" -> null;
            case "jpeg-ls" -> JpegLsDecoder.available() ? null : ts.name() + " needs " + JpegLsDecoder.CHARLS.absence();
            case "jpeg-2000" -> Jpeg2000Decoder.available() ? null : ts.name() + " needs " + Jpeg2000Decoder.OPENJPEG.absence();
            default -> ts.name() + " (" + ts.uid() + ") is not decoded by this archive";
        };
    }

    /** The photometric interpretation frames of {@code ts} decode to (as the decoders give it), before decoding one. */
    public static String decodedPhotometric(TransferSyntax ts, ImagePixel p) {
        String uid = ts.uid(), photometric = p.photometric();
        boolean lossyJpeg = uid.equals("1.2.840.10008.1.2.4.50") || uid.equals("1.2.840.10008.1.2.4.51");
        if (lossyJpeg && p.samplesPerPixel() == 3 && photometric.startsWith("YBR_FULL")) return "RGB";
        if (photometric.equals("YBR_RCT") || photometric.equals("YBR_ICT")) return "RGB";
        return photometric.equals("YBR_FULL_422") ? "YBR_FULL" : photometric;
    }

    private static String family(String uid) {
        return switch (uid) {
            case "1.2.840.10008.1.2.5" -> "rle";
            // baseline, extended (8-bit; 12-bit is refused by the decoder), lossless process 14 and SV1
            case "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70" -> "jpeg";
            case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> "jpeg-ls";
            case "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202",
                 "1.2.840.10008.1.2.4.203" -> "jpeg-2000";
            default -> "other";
        };
    }
}
