package dev.stratus.archive.retrieve;

import dev.stratus.codec.Tag;

/** Frame geometry of uncompressed pixel data (PS3.5 8.1.1). */
public record Frames(int count, long frameBytes) {
    static Frames of(dev.stratus.codec.DataSet ds) {
        int frames = Math.max(1, ds.getInt(Tag.NumberOfFrames, 1));
        long rows = ds.getInt(Tag.Rows, 0), columns = ds.getInt(Tag.Columns, 0);
        long samples = Math.max(1, ds.getInt(Tag.SamplesPerPixel, 1)), bits = ds.getInt(Tag.BitsAllocated, 0);
        String photometric = ds.getString(Tag.PhotometricInterpretation);
        // PS3.3 C.7.6.3.1.2: uncompressed YBR_FULL_422 stores two samples per pixel (Y1 Y2 Cb Cr for two pixels)
        if (samples == 3 && photometric != null && photometric.strip().equals("YBR_FULL_422")) samples = 2;
        long frameBits = rows * columns * samples * bits;
        return new Frames(frames, (frameBits + 7) / 8);
    }
}
