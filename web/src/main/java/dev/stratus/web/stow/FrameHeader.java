package dev.stratus.web.stow;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;

/**
 * What the header of a compressed frame says about the image: JPEG and JPEG-LS from the start of frame segment
 * (ISO/IEC 10918-1 B.2.2, 14495-1 C.2.2), JPEG 2000 and HTJ2K from the SIZ and COD segments of the codestream
 * (ISO/IEC 15444-1 A.5.1, A.6.1). PS3.18 10.5.1.4 lets a STOW-RS client leave the Image Pixel Description attributes
 * out for compressed frames; they are filled from here.
 *
 * @param signed null when the stream does not say (JPEG, JPEG-LS): taken as unsigned
 */
record FrameHeader(int rows, int columns, int samples, int bitsStored, Boolean signed, String photometric) {
    private static final int SOI = 0xFFD8, SOC = 0xFF4F;

    /** The header of {@code frame} in {@code ts}, or null when it cannot be read (another codec, a truncated header). */
    static FrameHeader of(byte[] frame, TransferSyntax ts) {
        try {
            int first = u16(frame, 0);
            if (first == SOI) return jpeg(frame, ts);
            if (first == SOC) return j2k(frame, ts);
            return null;
        } catch (ArrayIndexOutOfBoundsException truncated) {
            return null;
        }
    }

    /** Sets each Image Pixel Description attribute the data set lacks (PS3.3 C.7.6.3). */
    void fillIn(DataSet ds) {
        if (!ds.contains(Tag.Rows)) ds.setInt(Tag.Rows, VR.US, rows);
        if (!ds.contains(Tag.Columns)) ds.setInt(Tag.Columns, VR.US, columns);
        if (!ds.contains(Tag.SamplesPerPixel)) ds.setInt(Tag.SamplesPerPixel, VR.US, samples);
        if (!ds.contains(Tag.PhotometricInterpretation)) ds.setString(Tag.PhotometricInterpretation, VR.CS, photometric);
        if (!ds.contains(Tag.BitsAllocated)) ds.setInt(Tag.BitsAllocated, VR.US, bitsStored <= 8 ? 8 : 16);
        if (!ds.contains(Tag.BitsStored)) ds.setInt(Tag.BitsStored, VR.US, bitsStored);
        if (!ds.contains(Tag.HighBit)) ds.setInt(Tag.HighBit, VR.US, bitsStored - 1);
        if (!ds.contains(Tag.PixelRepresentation)) ds.setInt(Tag.PixelRepresentation, VR.US, Boolean.TRUE.equals(signed) ? 1 : 0);
        if (samples > 1 && !ds.contains(Tag.PlanarConfiguration)) ds.setInt(Tag.PlanarConfiguration, VR.US, 0);
    }

    /** The segments after SOI up to the first start of frame: SOF0-3, 5-7, 9-11, 13-15, and JPEG-LS SOF55 (FFF7). */
    private static FrameHeader jpeg(byte[] b, TransferSyntax ts) {
        int at = 2;
        while (at + 4 <= b.length) {
            if ((b[at] & 0xFF) != 0xFF) return null;
            int marker = b[at + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                at++;
                continue;
            }
            int length = u16(b, at + 2);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC || marker == 0xF7;
            if (sof) {
                int precision = b[at + 4] & 0xFF, rows = u16(b, at + 5), columns = u16(b, at + 7), samples = b[at + 9] & 0xFF;
                String photometric = samples == 1 ? "MONOCHROME2" : samples == 3 ? color(b, at + 10, ts) : null;
                return photometric == null || rows == 0 ? null : new FrameHeader(rows, columns, samples, precision, null, photometric);
            }
            at += 2 + length;
        }
        return null;
    }

    /**
     * Lossless JPEG and JPEG-LS keep the colours as sent: RGB; lossy JPEG holds YCbCr, with the chrominance subsampled
     * horizontally when the first component's sampling factors are larger (PS3.5 8.2.1).
     */
    private static String color(byte[] b, int components, TransferSyntax ts) {
        String uid = ts.uid();
        if (!uid.equals("1.2.840.10008.1.2.4.50") && !uid.equals("1.2.840.10008.1.2.4.51")) return "RGB";
        int luma = b[components + 1] & 0xFF, chroma = b[components + 4] & 0xFF;
        return (luma >> 4) > (chroma >> 4) ? "YBR_FULL_422" : "YBR_FULL";
    }

    /** SIZ right after SOC, then COD for the multiple component transform (ISO/IEC 15444-1 A.5.1, A.6.1). */
    private static FrameHeader j2k(byte[] b, TransferSyntax ts) {
        if (u16(b, 2) != 0xFF51) return null;
        int siz = 4;
        long xsiz = u32(b, siz + 4), ysiz = u32(b, siz + 8), xo = u32(b, siz + 12), yo = u32(b, siz + 16);
        int samples = u16(b, siz + 36);
        int ssiz = b[siz + 38] & 0xFF;
        int at = siz + u16(b, siz);
        int mct = 0;
        while (at + 4 <= b.length) {
            int marker = u16(b, at);
            if (marker == 0xFF52) {
                mct = b[at + 8] & 0xFF; // Lcod(2) Scod(1) progression(1) layers(2), then MCT
                break;
            }
            if (marker == 0xFF90 || marker == 0xFF93) break; // a tile: past the main header
            at += 2 + u16(b, at + 2);
        }
        boolean reversible = ts.uid().equals("1.2.840.10008.1.2.4.90") || ts.uid().equals("1.2.840.10008.1.2.4.92")
                || ts.uid().equals("1.2.840.10008.1.2.4.201") || ts.uid().equals("1.2.840.10008.1.2.4.202");
        String photometric = samples == 1 ? "MONOCHROME2" : samples != 3 ? null : mct == 0 ? "RGB" : reversible ? "YBR_RCT" : "YBR_ICT";
        if (photometric == null) return null;
        return new FrameHeader((int) (ysiz - yo), (int) (xsiz - xo), samples, (ssiz & 0x7F) + 1, (ssiz & 0x80) != 0, photometric);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    private static long u32(byte[] b, int at) {
        return (long) u16(b, at) << 16 | u16(b, at + 2);
    }
}
