package dev.stratus.imaging;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;

/**
 * The Image Pixel module attributes (PS3.3 C.7.6.3) that say how a frame's samples are laid out. Decoded frames are
 * always little endian, one sample of {@code bitsAllocated} bits after another, pixel by pixel (Planar Configuration 0)
 * unless {@code planarConfiguration} says colour-by-plane.
 */
public record ImagePixel(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
                         int pixelRepresentation, int planarConfiguration, String photometric, int frames) {

    /** A frame larger than this is refused: it would not fit one Java array (and no modality makes one). */
    public static final long MAX_FRAME_BYTES = Integer.MAX_VALUE - 64;

    public ImagePixel {
        if (rows < 1 || columns < 1) throw new IllegalArgumentException("Rows " + rows + " and Columns " + columns + " must both be positive");
        if (samplesPerPixel != 1 && samplesPerPixel != 3 && samplesPerPixel != 4) {
            throw new IllegalArgumentException("Samples per Pixel " + samplesPerPixel + " is not 1 or 3");
        }
        if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            throw new IllegalArgumentException("Bits Allocated " + bitsAllocated + " is not 1, 8, 16 or 32");
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new IllegalArgumentException("Bits Stored " + bitsStored + " is not between 1 and Bits Allocated " + bitsAllocated);
        }
        if (frames < 1) throw new IllegalArgumentException("Number of Frames " + frames + " is not positive");
        if ((long) rows * columns * samplesPerPixel * bitsAllocated / 8 > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("a frame of " + rows + " x " + columns + " x " + samplesPerPixel + " samples of "
                    + bitsAllocated + " bits is larger than " + MAX_FRAME_BYTES + " bytes");
        }
    }

    /** The attributes of a data set; IllegalArgumentException naming the attribute if they describe no image. */
    public static ImagePixel of(DataSet ds) {
        int bitsAllocated = ds.getInt(Tag.BitsAllocated, 0);
        String photometric = ds.getString(Tag.PhotometricInterpretation);
        return new ImagePixel(ds.getInt(Tag.Rows, 0), ds.getInt(Tag.Columns, 0), ds.getInt(Tag.SamplesPerPixel, 1),
                bitsAllocated, ds.getInt(Tag.BitsStored, bitsAllocated), ds.getInt(Tag.PixelRepresentation, 0),
                ds.getInt(Tag.PlanarConfiguration, 0), photometric == null ? "MONOCHROME2" : photometric.strip(),
                Math.max(1, ds.getInt(Tag.NumberOfFrames, 1)));
    }

    public boolean signed() { return pixelRepresentation == 1; }

    public int bytesPerSample() { return bitsAllocated <= 8 ? 1 : bitsAllocated / 8; }

    public int pixels() { return rows * columns; }

    /** Bytes of one native frame (PS3.5 8.1.1; bit-packed when Bits Allocated is 1). */
    public int frameBytes() {
        long bits = (long) rows * columns * samplesPerPixel * bitsAllocated;
        return (int) ((bits + 7) / 8);
    }

    public ImagePixel withPhotometric(String p) {
        return new ImagePixel(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, pixelRepresentation, planarConfiguration, p, frames);
    }

    public ImagePixel withPlanarConfiguration(int pc) {
        return new ImagePixel(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, pixelRepresentation, pc, photometric, frames);
    }

    @Override
    public String toString() {
        return rows + "x" + columns + " " + samplesPerPixel + " sample(s) " + bitsStored + "/" + bitsAllocated + " bits "
                + (signed() ? "signed " : "") + photometric + (planarConfiguration == 1 ? " planar" : "") + ", " + frames + " frame(s)";
    }
}
