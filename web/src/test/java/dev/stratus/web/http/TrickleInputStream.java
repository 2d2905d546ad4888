package dev.stratus.web.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Hands out at most a few bytes per read, like a slow network, to cross every buffer edge. */
final class TrickleInputStream extends InputStream {
    private final ByteArrayInputStream in;
    private final Random random;
    private final int maxChunk;

    TrickleInputStream(byte[] data, int maxChunk, long seed) {
        this.in = new ByteArrayInputStream(data);
        this.maxChunk = maxChunk;
        this.random = new Random(seed);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public int read() {
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) return 0;
        return in.read(b, off, Math.min(len, 1 + random.nextInt(maxChunk)));
    }
}
