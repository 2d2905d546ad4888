package dev.stratus.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every BlobStore must do, run against each store by a subclass that opens a fresh, empty store per test
 * (local disk here, S3 through s3proxy in stratus-storage-s3).
 */
public abstract class BlobStoreContractTest {
    @TempDir
    protected Path tmp;

    protected BlobStore store;

    /** A new store with no blobs in it. */
    protected abstract BlobStore openFreshStore() throws Exception;

    /** Removes what openFreshStore created (after the store is closed). */
    protected void dropFreshStore() throws Exception {}

    /**
     * A size that the store writes the way it writes its largest objects (S3: more than one multipart part, the
     * last one shorter), so that the large-object path meets every test that uses it.
     */
    protected int largeBlobBytes() {
        return 3 * 1024 * 1024 + 17;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = openFreshStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) store.close();
        dropFreshStore();
    }

    protected static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected byte[] read(String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        }
    }

    protected byte[] readRange(String key, long offset, long length) throws IOException {
        try (InputStream in = store.openRange(key, offset, length)) {
            return in.readAllBytes();
        }
    }

    protected Path staged(String name, byte[] content) throws IOException {
        return Files.write(tmp.resolve(name), content);
    }

    // ---- put, open, size

    @Test
    void aBlobPutIsReadBackWholeWithItsSize() throws IOException {
        byte[] data = "0123456789".getBytes();
        assertEquals(10, store.put("t/a/b.dcm", new ByteArrayInputStream(data)));
        assertArrayEquals(data, read("t/a/b.dcm"));
        assertEquals(10, store.size("t/a/b.dcm"));
    }

    @Test
    void anEmptyBlobIsStoredAndReadAsEmpty() throws IOException {
        assertEquals(0, store.put("t/empty", InputStream.nullInputStream()));
        assertEquals(0, store.size("t/empty"));
        assertArrayEquals(new byte[0], read("t/empty"));
        assertArrayEquals(new byte[0], readRange("t/empty", 0, 10));
        assertEquals(List.of("t/empty"), store.list("t"));
    }

    @Test
    void aLargeBlobStreamedInIsReadBackWhole() throws IOException {
        byte[] data = bytes(largeBlobBytes(), 1);
        assertEquals(data.length, store.put("t/large.dcm", new ByteArrayInputStream(data)));
        assertEquals(data.length, store.size("t/large.dcm"));
        assertArrayEquals(data, read("t/large.dcm"));
    }

    @Test
    void replacingABlobSwapsItWhole() throws IOException {
        store.put("k", new ByteArrayInputStream(bytes(largeBlobBytes(), 2)));
        store.put("k", new ByteArrayInputStream(new byte[] {9}));
        assertArrayEquals(new byte[] {9}, read("k"));
        assertEquals(1, store.size("k"));
        assertEquals(List.of("k"), store.list(""));
    }

    @Test
    void aFailedPutLeavesNoBlob() throws IOException {
        store.put("t/other", new ByteArrayInputStream(new byte[] {1}));
        for (long failAt : new long[] {100, largeBlobBytes()}) {
            IOException e = assertThrows(IOException.class, () -> store.put("t/x.dcm", failingAfter(failAt)));
            assertTrue(e.getMessage().contains("client went away") || e.getCause() != null, "says why: " + e);
            assertEquals(-1, store.size("t/x.dcm"));
            assertEquals(List.of("t/other"), store.list("t"), "nothing stored under the key, no partial object listed");
        }
    }

    private static InputStream failingAfter(long n) {
        return new InputStream() {
            long read;

            @Override
            public int read() throws IOException {
                if (read++ >= n) throw new IOException("client went away");
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read >= n) throw new IOException("client went away");
                int k = (int) Math.min(len, n - read);
                Arrays.fill(b, off, off + k, (byte) 'x');
                read += k;
                return k;
            }
        };
    }

    // ---- ranges and skips

    @Test
    void aRangeGivesItsSliceAndFewerBytesAtTheEnd() throws IOException {
        store.put("t/r", new ByteArrayInputStream("0123456789".getBytes()));
        assertArrayEquals("3456".getBytes(), readRange("t/r", 3, 4));
        assertArrayEquals("0".getBytes(), readRange("t/r", 0, 1));
        assertArrayEquals("789".getBytes(), readRange("t/r", 7, 100), "cut at the end of the blob");
        assertArrayEquals("9".getBytes(), readRange("t/r", 9, 1), "the last byte");
    }

    @Test
    void aRangeOfNothingOrAtOrAfterTheEndIsEmpty() throws IOException {
        store.put("t/r", new ByteArrayInputStream("0123456789".getBytes()));
        assertArrayEquals(new byte[0], readRange("t/r", 3, 0), "zero length");
        assertArrayEquals(new byte[0], readRange("t/r", 10, 5), "offset at the end");
        assertArrayEquals(new byte[0], readRange("t/r", 11, 5), "offset after the end");
        assertArrayEquals(new byte[0], readRange("t/r", 10, 0));
    }

    @Test
    void aRangeInsideALargeBlobGivesItsBytes() throws IOException {
        byte[] data = bytes(largeBlobBytes(), 3);
        store.put("t/frames", new ByteArrayInputStream(data));
        int offset = data.length / 2 - 5, length = 100_000;
        assertArrayEquals(Arrays.copyOfRange(data, offset, offset + length), readRange("t/frames", offset, length));
        assertArrayEquals(Arrays.copyOfRange(data, data.length - 10, data.length), readRange("t/frames", data.length - 10, 1_000));
    }

    @Test
    void aReadIntoABufferFillsItFromTheOffsetOrStopsAtTheEnd() throws IOException {
        byte[] data = bytes(largeBlobBytes(), 5);
        store.put("t/read", new ByteArrayInputStream(data));
        for (java.nio.ByteBuffer dst : List.of(java.nio.ByteBuffer.allocateDirect(300_000), java.nio.ByteBuffer.allocate(300_000))) {
            dst.position(7);
            assertEquals(300_000 - 7, store.read("t/read", 1_000, dst));
            byte[] got = new byte[300_000 - 7];
            dst.flip().position(7);
            dst.get(got);
            assertArrayEquals(Arrays.copyOfRange(data, 1_000, 1_000 + got.length), got, dst.isDirect() ? "direct" : "heap");
        }
        java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocateDirect(100);
        assertEquals(10, store.read("t/read", data.length - 10, tail), "cut at the end of the blob");
        assertEquals(0, store.read("t/read", data.length, java.nio.ByteBuffer.allocate(5)), "nothing after the end");
        assertThrows(BlobNotFoundException.class, () -> store.read("t/none", 0, java.nio.ByteBuffer.allocate(5)));
    }

    /** A header parse reads the first bytes, skips the pixel data and stops: the bytes after a skip are the right ones. */
    @Test
    void skippingThroughAnOpenBlobLandsOnTheRightBytes() throws IOException {
        byte[] data = bytes(largeBlobBytes(), 4);
        store.put("t/skip", new ByteArrayInputStream(data));
        try (InputStream in = store.open("t/skip")) {
            assertArrayEquals(Arrays.copyOfRange(data, 0, 132), in.readNBytes(132));
            in.skipNBytes(10);
            assertArrayEquals(Arrays.copyOfRange(data, 142, 150), in.readNBytes(8));
            in.skipNBytes(200_000); // past any first window a store may read
            assertArrayEquals(Arrays.copyOfRange(data, 200_150, 200_160), in.readNBytes(10));
            long toLast = data.length - 200_160 - 3;
            in.skipNBytes(toLast);
            assertArrayEquals(Arrays.copyOfRange(data, data.length - 3, data.length), in.readAllBytes());
            assertEquals(-1, in.read());
            assertEquals(0, in.skip(10), "nothing left to skip");
        }
        try (InputStream in = store.open("t/skip")) {
            assertArrayEquals(Arrays.copyOfRange(data, 0, 16), in.readNBytes(16)); // closed with most of it unread
        }
        try (InputStream in = store.openRange("t/skip", 1000, 300_000)) {
            in.skipNBytes(250_000);
            assertArrayEquals(Arrays.copyOfRange(data, 251_000, 251_010), in.readNBytes(10));
        }
    }

    // ---- absent keys, delete, list

    @Test
    void anAbsentBlobIsNotFoundNamingTheKey() throws IOException {
        BlobNotFoundException e = assertThrows(BlobNotFoundException.class, () -> store.open("t/none"));
        assertTrue(e.getMessage().contains("t/none"), e.getMessage());
        assertThrows(BlobNotFoundException.class, () -> store.openRange("t/none", 0, 10));
        assertThrows(BlobNotFoundException.class, () -> store.openRange("t/none", 0, 0));
        assertEquals(-1, store.size("t/none"));
        store.delete("t/none"); // absent is not an error
        assertEquals(List.of(), store.list("t"));
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void aDeletedBlobIsGone() throws IOException {
        store.put("t/a/1", new ByteArrayInputStream(new byte[] {1}));
        store.put("t/a/2", new ByteArrayInputStream(new byte[] {2}));
        store.delete("t/a/1");
        assertThrows(BlobNotFoundException.class, () -> store.open("t/a/1"));
        assertEquals(-1, store.size("t/a/1"));
        assertEquals(List.of("t/a/2"), store.list("t"));
    }

    @Test
    void aListingHoldsTheKeysUnderWholeSegmentsOfThePrefix() throws IOException {
        for (String key : List.of("t/a/1", "t/a/b/2", "t/ab/3", "u/4")) store.put(key, new ByteArrayInputStream(new byte[] {7}));
        assertEquals(List.of("t/a/1", "t/a/b/2"), sorted(store.list("t/a")));
        assertEquals(List.of("t/a/1", "t/a/b/2", "t/ab/3"), sorted(store.list("t")));
        assertEquals(List.of("t/a/1", "t/a/b/2", "t/ab/3", "u/4"), sorted(store.list("")));
        assertEquals(List.of(), store.list("t/a/1/x"));
        assertEquals(List.of(), store.list("none"));
    }

    @Test
    void aWalkGivesEachBlobsSizeAndWhenItWasWritten() throws IOException {
        Instant before = Instant.now().minusSeconds(300); // clocks of a remote store may differ a little
        store.put("t/a/1", new ByteArrayInputStream(new byte[] {1, 2, 3}));
        store.put("t/b/2", new ByteArrayInputStream(new byte[0]));
        Map<String, BlobStore.Listed> seen = new HashMap<>();
        store.walk("t", blob -> seen.put(blob.key(), blob));
        assertEquals(2, seen.size(), seen.toString());
        assertEquals(3, seen.get("t/a/1").size());
        assertEquals(0, seen.get("t/b/2").size());
        for (BlobStore.Listed blob : seen.values()) {
            assertTrue(blob.modified().isAfter(before) && blob.modified().isBefore(Instant.now().plusSeconds(300)), blob.toString());
        }
    }

    private static List<String> sorted(List<String> keys) {
        return keys.stream().sorted().toList();
    }

    // ---- local files: putFile and place

    @Test
    void putFileStoresTheFileAndConsumesIt() throws IOException {
        byte[] data = bytes(largeBlobBytes(), 5);
        Path spooled = staged("spool.tmp", data);
        assertEquals(data.length, store.putFile("t/s/i.dcm", spooled));
        assertFalse(Files.exists(spooled), "consumed");
        assertArrayEquals(data, read("t/s/i.dcm"));
    }

    @Test
    void placedFilesAreStoredOnceAwaitedAndConsumed() throws IOException {
        store.put("t/a/existing.dcm", new ByteArrayInputStream(new byte[] {9}));
        byte[] large = bytes(largeBlobBytes(), 6);
        List<BlobStore.StagedFile> files = List.of(
                new BlobStore.StagedFile("t/a/1.dcm", staged("1.tmp", new byte[] {1})),
                new BlobStore.StagedFile("t/b/c/d/2.dcm", staged("2.tmp", large)),
                new BlobStore.StagedFile("t/b/c/d/3.dcm", staged("3.tmp", new byte[] {3, 3, 3})),
                new BlobStore.StagedFile("t/a/existing.dcm", staged("4.tmp", new byte[] {4, 4})));
        List<BlobStore.Placement> placed = new ArrayList<>();
        for (BlobStore.StagedFile f : files) placed.add(store.place(f));
        BlobStore.Placement.awaitAll(placed);
        for (BlobStore.StagedFile f : files) assertFalse(Files.exists(f.file()), "consumed: " + f.file());
        assertEquals(List.of("t/a/1.dcm", "t/a/existing.dcm", "t/b/c/d/2.dcm", "t/b/c/d/3.dcm"), sorted(store.list("t")));
        assertArrayEquals(large, read("t/b/c/d/2.dcm"));
        assertArrayEquals(new byte[] {3, 3, 3}, read("t/b/c/d/3.dcm"));
        assertArrayEquals(new byte[] {4, 4}, read("t/a/existing.dcm"), "a placement replaces");
    }

    @Test
    void placementsFromManyThreadsAtOnceAreEachStoredWhole() throws Exception {
        int threads = 8, each = 4;
        Map<String, byte[]> expected = new HashMap<>();
        List<Callable<Void>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<BlobStore.StagedFile> mine = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                byte[] data = bytes(1000 + 997 * (t * each + i), t * 100L + i);
                String key = "t/series" + (i % 2) + "/" + t + "_" + i + ".dcm";
                expected.put(key, data);
                mine.add(new BlobStore.StagedFile(key, staged(t + "_" + i + ".tmp", data)));
            }
            work.add(() -> {
                List<BlobStore.Placement> placed = new ArrayList<>();
                for (BlobStore.StagedFile f : mine) placed.add(store.place(f));
                BlobStore.Placement.awaitAll(placed);
                return null;
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<Void> f : pool.invokeAll(work)) f.get();
        }
        assertEquals(sorted(new ArrayList<>(expected.keySet())), sorted(store.list("t")));
        for (Map.Entry<String, byte[]> e : expected.entrySet()) assertArrayEquals(e.getValue(), read(e.getKey()), e.getKey());
    }

    @Test
    void awaitAllWaitsForEveryPlacementAndThrowsTheFirstFailure() {
        List<String> awaited = new ArrayList<>();
        IOException thrown = assertThrows(IOException.class, () -> BlobStore.Placement.awaitAll(List.of(
                () -> awaited.add("a"),
                () -> { awaited.add("b"); throw new IOException("first"); },
                () -> { awaited.add("c"); throw new IOException("second"); },
                () -> awaited.add("d"))));
        assertEquals("first", thrown.getMessage());
        assertEquals(List.of("a", "b", "c", "d"), awaited);
    }

    // ---- keys and readiness

    @Test
    void keysThatCouldEscapeOrSurpriseAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path file = staged("refused.tmp", new byte[] {4});
        for (String bad : new String[] {"../x", "a/../../x", "/etc/passwd", "a//b", "a/./b", "a b", "a\\b", "", "a/", "ä"}) {
            assertThrows(IllegalArgumentException.class, () -> store.put(bad, new ByteArrayInputStream(new byte[1])), bad);
            assertThrows(IllegalArgumentException.class, () -> store.open(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> store.openRange(bad, 0, 1), bad);
            assertThrows(IllegalArgumentException.class, () -> store.size(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> store.delete(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> store.place(new BlobStore.StagedFile(bad, file)), bad);
        }
        assertTrue(Files.exists(file), "a refused key moves nothing");
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void aFreshStoreIsReady() throws IOException {
        store.checkReady();
    }
}
