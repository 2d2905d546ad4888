package dev.stratus.imaging;

import dev.stratus.codec.Fragment;
import dev.stratus.codec.FragmentsElement;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of encapsulated pixel data held in memory (PS3.5 A.4): one frame of all fragments, one fragment per
 * frame, or frames cut by the Basic Offset Table; else, for JPEG family streams, a frame per start-of-image marker.
 */
public final class EncapsulatedFrames {
    private EncapsulatedFrames() {}

    public static List<byte[]> split(FragmentsElement pixelData, int frameCount) throws PixelDataException {
        List<Fragment> fragments = pixelData.dataFragments();
        for (Fragment f : pixelData.fragments()) if (!f.isLoaded()) throw new PixelDataException("fragment at " + f.offset() + " was not read");
        List<byte[]> frames = new ArrayList<>();
        byte[] bot = pixelData.basicOffsetTable().bytes();
        if (frameCount == 1) {
            frames.add(join(fragments, 0, fragments.size()));
        } else if (fragments.size() == frameCount) {
            for (Fragment f : fragments) frames.add(f.bytes());
        } else if (bot.length >= 4L * frameCount) {
            long[] starts = new long[fragments.size()];
            for (int i = 1; i < starts.length; i++) starts[i] = starts[i - 1] + 8 + fragments.get(i - 1).length();
            int from = 0;
            for (int n = 0; n < frameCount; n++) {
                long end = n + 1 < frameCount ? u32(bot, 4 * (n + 1)) : Long.MAX_VALUE;
                int to = from;
                while (to < starts.length && starts[to] < end) to++;
                if (to == from) throw new PixelDataException("Basic Offset Table gives frame " + (n + 1) + " no fragment");
                frames.add(join(fragments, from, to));
                from = to;
            }
        } else {
            throw new PixelDataException("cannot tell which of the " + fragments.size() + " fragments belong to which of the "
                    + frameCount + " frames: no Basic Offset Table");
        }
        return frames;
    }

    private static long u32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }

    private static byte[] join(List<Fragment> fragments, int from, int to) {
        if (to - from == 1) return fragments.get(from).bytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) out.writeBytes(fragments.get(i).bytes());
        return out.toByteArray();
    }
}
