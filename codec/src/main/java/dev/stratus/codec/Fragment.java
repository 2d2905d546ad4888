package dev.stratus.codec;

import java.util.Arrays;

/**
 * One item of encapsulated pixel data. {@code offset} is where its bytes start in the source (or -1);
 * {@code bytes} is null when they were left in the source to be read later by seeking.
 */
public record Fragment(long offset, int length, byte[] bytes) {
    public boolean isLoaded() { return bytes != null; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fragment f && f.length == length && Arrays.equals(f.bytes, bytes)
                && (bytes != null || f.offset == offset);
    }

    @Override
    public int hashCode() { return length * 31 + Arrays.hashCode(bytes); }
}
