package dev.stratus.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectFileWriterTest {
    private static final int CHUNK = DirectFileWriter.CHUNK;

    @TempDir
    Path dir;

    @Test
    void buffersGivenBackAreHandedOutAgainUpToThePoolLimitAndDroppedBeyond() throws IOException {
        DirectFileWriter writer = new DirectFileWriter(dir, true);
        writer.poolAtMost(2);
        DirectFileWriter.Buffers a = writer.buffers(), b = writer.buffers(), c = writer.buffers();
        a.close();
        b.close();
        c.close(); // a third set beyond the limit of two: dropped, its memory left to the collector
        java.util.Set<DirectFileWriter.Buffers> again = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < 3; i++) again.add(writer.buffers());
        assertTrue(again.contains(a) && again.contains(b), "the pooled sets are reused, not allocated again");
        assertFalse(again.contains(c), "no more sets kept than the limit");
    }

    @Test
    void filesOfEverySizeAroundTheBlockAndChunkBoundariesHoldExactlyTheirBytes() throws IOException {
        DirectFileWriter writer = new DirectFileWriter(dir, true);
        boolean direct = writer.direct();
        int[] sizes = {0, 1, 511, 4095, 4096, 4097, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17};
        try (DirectFileWriter.Buffers buffers = writer.buffers()) {
            for (int size : sizes) {
                byte[] data = random(size, size);
                SpooledFile w = writer.write(new ByteArrayInputStream(data), "f" + size, buffers, 1000);
                assertEquals(size, w.size(), "size of a " + size + "-byte file");
                w.awaitWrites();
                assertArrayEquals(data, Files.readAllBytes(w.file()), "bytes of a " + size + "-byte file (padding cut off)");
                assertArrayEquals(Arrays.copyOf(data, Math.min(size, 1000)), w.head(), "head of a " + size + "-byte file");
            }
        }
        // this machine's file systems take direct I/O; one that refused it would have switched to ordinary writes
        assertEquals(direct, writer.direct(), "direct I/O was given up on a file system that opened with it");
    }

    @Test
    void aFileSystemThatRefusesTheWritesGetsOrdinaryWritesInTheSameFile() throws IOException {
        // 512-byte alignment where the channel needs the file store's (4,096 bytes on this machine): the direct
        // write of the last 1,000 bytes is refused, as on a file system that opens O_DIRECT but cannot write it
        long block = Files.getFileStore(dir).getBlockSize();
        DirectFileWriter writer = new DirectFileWriter(dir, true, 512);
        byte[] data = random(CHUNK + 1000, 7);
        try (DirectFileWriter.Buffers buffers = writer.buffers()) {
            SpooledFile w = writer.write(new ByteArrayInputStream(data), "odd", buffers, 10);
            w.awaitWrites();
            assertArrayEquals(data, Files.readAllBytes(w.file()));
            SpooledFile next = writer.write(new ByteArrayInputStream(data), "next", buffers, 10);
            next.awaitWrites();
            assertArrayEquals(data, Files.readAllBytes(next.file()));
        }
        if (block > 512) assertFalse(writer.direct(), "a refused direct write turns direct I/O off for later files");
    }

    @Test
    void filesWrittenBehindTheReaderWithOneSetOfBuffersAreAllExact() throws IOException {
        DirectFileWriter writer = new DirectFileWriter(dir, true);
        List<SpooledFile> files = new java.util.ArrayList<>();
        List<byte[]> contents = new java.util.ArrayList<>();
        try (DirectFileWriter.Buffers buffers = writer.buffers()) {
            // more chunks than the buffers in flight: the reader waits for buffers, never reuses one being written
            for (int i = 0; i < 12; i++) {
                byte[] data = random(CHUNK * (1 + i % 5) + i * 1001, 100 + i);
                contents.add(data);
                files.add(writer.write(new ByteArrayInputStream(data), "w" + i, buffers, 100));
            }
        }
        for (int i = 0; i < files.size(); i++) {
            try (InputStream in = files.get(i).open()) {
                assertArrayEquals(contents.get(i), in.readAllBytes(), "file " + i + " read through its stream");
            }
            assertArrayEquals(contents.get(i), Files.readAllBytes(files.get(i).file()), "file " + i + " on disk");
        }
    }

    @Test
    void aStreamThatFailsLeavesNoFile() throws IOException {
        DirectFileWriter writer = new DirectFileWriter(dir, true);
        InputStream failing = new InputStream() {
            int left = CHUNK + 100;
            @Override public int read() throws IOException {
                if (left-- <= 0) throw new IOException("connection reset");
                return 1;
            }
        };
        try (DirectFileWriter.Buffers buffers = writer.buffers()) {
            assertThrows(IOException.class, () -> writer.write(failing, "broken", buffers, 10));
        }
        assertFalse(Files.exists(dir.resolve("broken")));
    }

    @Test
    void namesThatLeaveTheDirectoryAreRefused() throws IOException {
        DirectFileWriter writer = new DirectFileWriter(dir.resolve("spool"), true);
        try (DirectFileWriter.Buffers buffers = writer.buffers()) {
            assertThrows(IllegalArgumentException.class, () -> writer.write(InputStream.nullInputStream(), "../x", buffers, 10));
            assertThrows(IllegalArgumentException.class, () -> writer.write(InputStream.nullInputStream(), "a/b", buffers, 10));
        }
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void theStreamOfAWrittenFileReadsAndSkipsAcrossItsHeadLikeTheFile() throws IOException {
        DirectFileWriter writer = new DirectFileWriter(dir, true);
        byte[] data = random(CHUNK + 5000, 3);
        SpooledFile w;
        try (DirectFileWriter.Buffers buffers = writer.buffers()) {
            w = writer.write(new ByteArrayInputStream(data), "f", buffers, 4000);
        }
        Random r = new Random(11);
        for (int round = 0; round < 200; round++) {
            try (InputStream in = w.open()) {
                int pos = 0;
                while (true) {
                    if (r.nextInt(3) == 0) {
                        long skipped = in.skip(r.nextInt(9000));
                        pos += (int) skipped;
                        continue;
                    }
                    byte[] b = new byte[1 + r.nextInt(6000)];
                    int n = in.read(b, 0, b.length);
                    if (n < 0) break;
                    assertArrayEquals(Arrays.copyOfRange(data, pos, pos + n), Arrays.copyOf(b, n), "bytes at " + pos);
                    pos += n;
                }
                assertEquals(data.length, pos, "the stream ends at the file's end");
                assertEquals(0, in.skip(10));
            }
        }
        // the head alone serves a parse that skips to the end: the file is not needed at all
        Files.delete(w.file());
        try (InputStream in = w.open()) {
            assertArrayEquals(Arrays.copyOf(data, 4000), in.readNBytes(4000));
            assertEquals(data.length - 4000, in.skip(Long.MAX_VALUE));
            assertEquals(-1, in.read());
        }
        assertTrue(w.head().length == 4000);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
