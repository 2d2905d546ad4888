package dev.stratus.codec;

import java.util.Arrays;

/** An element whose value is in memory: raw bytes, little endian for binary numbers, padding kept as read. */
public record ValueElement(int tag, VR vr, byte[] bytes) implements Element {
    public int length() { return bytes.length; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueElement v && v.tag == tag && v.vr == vr && Arrays.equals(v.bytes, bytes);
    }

    @Override
    public int hashCode() { return tag * 31 + Arrays.hashCode(bytes); }

    @Override
    public String toString() { return Tag.toString(tag) + " " + vr + " #" + bytes.length; }
}
