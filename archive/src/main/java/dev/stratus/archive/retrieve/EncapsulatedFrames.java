package dev.stratus.archive.retrieve;

import dev.stratus.codec.Tag;
import dev.stratus.codec.Values;
import dev.stratus.storage.BlobStore;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps frames to fragments of encapsulated pixel data (PS3.5 A.4) by reading only the 8-byte item
 * headers and each fragment's first bytes: one fragment per frame, the Basic Offset Table, all fragments for a
 * single frame, or, without a table, a new frame at each fragment that starts a JPEG or JPEG 2000 stream.
 */
final class EncapsulatedFrames {
    private EncapsulatedFrames() {}

    /** For each frame, its (offset, length) ranges in the blob. */
    static List<List<long[]>> scan(BlobStore store, InstanceHeader h) throws IOException {
        long pos = h.pixelData().offset();
        List<long[]> fragments = new ArrayList<>();
        List<Boolean> startsStream = new ArrayList<>();
        byte[] bot;
        try (InputStream raw = store.openRange(h.instance().blobKey(), pos, h.instance().blobSize() - pos);
             DataInputStream in = new DataInputStream(raw)) {
            byte[] head = new byte[8];
            in.readFully(head);
            int botLength = checkItem(head, pos);
            bot = in.readNBytes(botLength);
            pos += 8 + botLength;
            while (true) {
                try {
                    in.readFully(head);
                } catch (EOFException e) {
                    throw new IOException("encapsulated pixel data ends without a sequence delimiter at offset " + pos);
                }
                if (Values.u16(head, 0) == 0xFFFE && Values.u16(head, 2) == 0xE0DD) break;
                int len = checkItem(head, pos);
                fragments.add(new long[] {pos + 8, len});
                byte[] start = in.readNBytes(Math.min(len, 4));
                startsStream.add(startsStream(start));
                in.skipNBytes(len - start.length);
                pos += 8 + len;
            }
        }
        int frameCount = Math.max(1, h.dataSet().getInt(Tag.NumberOfFrames, 1));
        List<List<long[]>> frames = new ArrayList<>();
        if (frameCount == 1) {
            frames.add(fragments);
        } else if (fragments.size() == frameCount) {
            for (long[] f : fragments) frames.add(List.of(f));
        } else if (bot.length >= 4 * frameCount) {
            long first = h.pixelData().offset() + 8 + bot.length; // offsets count from the first fragment's item tag
            for (int i = 0; i < frameCount; i++) {
                long start = first + (Values.i32(bot, 4 * i) & 0xFFFFFFFFL);
                long end = i + 1 < frameCount ? first + (Values.i32(bot, 4 * (i + 1)) & 0xFFFFFFFFL) : Long.MAX_VALUE;
                List<long[]> parts = new ArrayList<>();
                for (long[] f : fragments) if (f[0] - 8 >= start && f[0] - 8 < end) parts.add(f);
                frames.add(parts);
            }
        } else if (startsStream.stream().filter(b -> b).count() == frameCount && startsStream.getFirst()) {
            // no table, but each frame's first fragment begins a JPEG or JPEG 2000 stream (PS3.5 A.4: a frame's
            // fragments are consecutive): cut before each
            for (int i = 0; i < fragments.size(); i++) {
                if (startsStream.get(i)) frames.add(new ArrayList<>());
                frames.getLast().add(fragments.get(i));
            }
        } else {
            throw new NotAcceptableException("cannot tell which of the " + fragments.size() + " fragments belong to which of the "
                    + frameCount + " frames: no Basic Offset Table");
        }
        return frames;
    }

    /** A JPEG or JPEG-LS SOI (FF D8 FF) or a JPEG 2000 codestream's SOC and SIZ (FF 4F FF 51). */
    private static boolean startsStream(byte[] b) {
        if (b.length < 3) return false;
        int b0 = b[0] & 0xFF, b1 = b[1] & 0xFF, b2 = b[2] & 0xFF;
        return b0 == 0xFF && b1 == 0xD8 && b2 == 0xFF || b.length == 4 && b0 == 0xFF && b1 == 0x4F && b2 == 0xFF && (b[3] & 0xFF) == 0x51;
    }

    private static int checkItem(byte[] head, long pos) throws IOException {
        if (Values.u16(head, 0) != 0xFFFE || Values.u16(head, 2) != 0xE000) {
            throw new IOException("expected a fragment item at offset " + pos + " of the stored object");
        }
        long len = Values.i32(head, 4) & 0xFFFFFFFFL;
        if (len > Integer.MAX_VALUE) throw new IOException("fragment of " + len + " bytes at offset " + pos);
        return (int) len;
    }
}
