package dev.stratus.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalBlobStoreTest {
    @TempDir
    Path dir;

    @Test
    void putThenOpenGivesTheBytesAndRangesGiveTheirSlice() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir);
        byte[] data = "0123456789".getBytes();
        assertEquals(10, store.put("t/a/b.dcm", new ByteArrayInputStream(data)));
        try (InputStream in = store.open("t/a/b.dcm")) {
            assertArrayEquals(data, in.readAllBytes());
        }
        try (InputStream in = store.openRange("t/a/b.dcm", 3, 4)) {
            assertArrayEquals("3456".getBytes(), in.readAllBytes());
        }
        assertEquals(10, store.size("t/a/b.dcm"));
        assertEquals(java.util.List.of("t/a/b.dcm"), store.list("t"));
    }

    @Test
    void aFailedPutLeavesNeitherBlobNorTemporaryFile() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir);
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100) throw new IOException("client went away");
                return 'x';
            }
        };
        assertThrows(IOException.class, () -> store.put("t/x.dcm", failing));
        assertEquals(-1, store.size("t/x.dcm"));
        try (var files = Files.list(dir.resolve("t"))) {
            assertEquals(0, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void replacingABlobSwapsItWhole() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir);
        store.put("k", new ByteArrayInputStream(new byte[] {1, 2, 3}));
        store.put("k", new ByteArrayInputStream(new byte[] {9}));
        try (InputStream in = store.open("k")) {
            assertArrayEquals(new byte[] {9}, in.readAllBytes());
        }
    }

    @Test
    void keysThatCouldEscapeTheRootAreRefused() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir);
        for (String bad : new String[] {"../x", "a/../../x", "/etc/passwd", "a//b", "a/./b", "a b", "a\\b", ""}) {
            assertThrows(IllegalArgumentException.class, () -> store.put(bad, new ByteArrayInputStream(new byte[1])), bad);
        }
        assertFalse(Files.exists(dir.getParent().resolve("x")));
    }

    @Test
    void missingBlobIsReportedAsNotFound() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir);
        BlobNotFoundException e = assertThrows(BlobNotFoundException.class, () -> store.open("none"));
        assertTrue(e.getMessage().contains("none"));
        store.delete("none");
    }

    @Test
    void putFileMovesTheFileIntoPlace() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir.resolve("store"));
        Path spooled = Files.write(dir.resolve("spool.tmp"), new byte[] {1, 2, 3, 4});
        assertEquals(4, store.putFile("t/s/i.dcm", spooled));
        assertFalse(Files.exists(spooled));
        try (InputStream in = store.open("t/s/i.dcm")) {
            assertArrayEquals(new byte[] {1, 2, 3, 4}, in.readAllBytes());
        }
    }

    @Test
    void placedFilesAreStoredUnderTheirKeysInNewAndExistingDirectories() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir.resolve("store"));
        store.put("t/a/existing.dcm", new ByteArrayInputStream(new byte[] {9}));
        List<BlobStore.StagedFile> files = List.of(
                new BlobStore.StagedFile("t/a/1.dcm", Files.write(dir.resolve("1.tmp"), new byte[] {1})),
                new BlobStore.StagedFile("t/b/c/d/2.dcm", Files.write(dir.resolve("2.tmp"), new byte[] {2, 2})),
                new BlobStore.StagedFile("t/b/c/d/3.dcm", Files.write(dir.resolve("3.tmp"), new byte[] {3, 3, 3})));
        List<BlobStore.Placement> placed = new java.util.ArrayList<>();
        for (BlobStore.StagedFile f : files) placed.add(store.place(f));
        BlobStore.Placement.awaitAll(placed);
        for (BlobStore.StagedFile f : files) assertFalse(Files.exists(f.file()), "consumed: " + f.file());
        assertEquals(List.of("t/a/1.dcm", "t/a/existing.dcm", "t/b/c/d/2.dcm", "t/b/c/d/3.dcm"),
                store.list("t").stream().sorted().toList());
        assertEquals(3, store.size("t/b/c/d/3.dcm"));
        assertThrows(IllegalArgumentException.class, () -> store.place(
                new BlobStore.StagedFile("../escape.dcm", Files.write(dir.resolve("4.tmp"), new byte[] {4}))));
    }

    @Test
    void placeMovesTheFileInAtOnceAndItsFlushCanBeAwaited() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir.resolve("store"));
        store.put("t/a/old.dcm", new ByteArrayInputStream(new byte[] {9}));
        Path staged = Files.write(dir.resolve("1.tmp"), new byte[] {1, 2});
        BlobStore.Placement placed = store.place(new BlobStore.StagedFile("t/new/dir/1.dcm", staged));
        assertFalse(Files.exists(staged), "moved, not copied");
        assertEquals(2, store.size("t/new/dir/1.dcm"), "in place before its flush is awaited");
        Path replacing = Files.write(dir.resolve("2.tmp"), new byte[] {7, 7, 7});
        BlobStore.Placement replaced = store.place(new BlobStore.StagedFile("t/a/old.dcm", replacing));
        BlobStore.Placement.awaitAll(List.of(placed, replaced));
        assertEquals(3, store.size("t/a/old.dcm"));
        assertThrows(IllegalArgumentException.class, () -> store.place(
                new BlobStore.StagedFile("t/../../escape.dcm", Files.write(dir.resolve("3.tmp"), new byte[] {4}))));
        assertTrue(Files.exists(dir.resolve("3.tmp")), "a refused key moves nothing");
        store.close();
    }

    @Test
    void awaitAllWaitsForEveryPlacementAndThrowsTheFirstFailure() {
        List<String> awaited = new java.util.ArrayList<>();
        IOException thrown = assertThrows(IOException.class, () -> BlobStore.Placement.awaitAll(List.of(
                () -> awaited.add("a"),
                () -> { awaited.add("b"); throw new IOException("first"); },
                () -> { awaited.add("c"); throw new IOException("second"); },
                () -> awaited.add("d"))));
        assertEquals("first", thrown.getMessage());
        assertEquals(List.of("a", "b", "c", "d"), awaited);
    }
}
