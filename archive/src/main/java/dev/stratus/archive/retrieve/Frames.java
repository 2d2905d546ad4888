package dev.stratus.archive.retrieve;

import dev.stratus.codec.Tag;

/** Frame geometry of uncompressed pixel data (PS3.5 8.1.1). */
public record Frames(int count, long frameBytes) {
    static Frames of(dev.stratus.codec.DataSet ds) {
        int frames = Math.max(1, ds.getInt(Tag.NumberOfFrames, 1));
        long rows = ds.getInt(Tag.Rows, 0), columns = ds.getInt(Tag.Columns, 0);
        long samples = Math.max(1, ds.getInt(Tag.SamplesPerPixel, 1)), bits = ds.getInt(Tag.BitsAllocated, 0);
        long frameBits = rows * columns * samples * bits;
        return new Frames(frames, (frameBits + 7) / 8);
    }
}
