package dev.stratus.storage;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract on local disk, and what only files show: no temporary file left, files moved rather than copied. */
class LocalBlobStoreTest extends BlobStoreContractTest {
    private Path root;

    @Override
    protected BlobStore openFreshStore() throws IOException {
        root = tmp.resolve("store");
        return new LocalBlobStore(root);
    }

    @Test
    void aFailedPutLeavesNoTemporaryFile() throws IOException {
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100) throw new IOException("client went away");
                return 'x';
            }
        };
        assertThrows(IOException.class, () -> store.put("t/x.dcm", failing));
        try (var files = Files.list(root.resolve("t"))) {
            assertEquals(0, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void keysCannotReachOutsideTheRoot() {
        assertThrows(IllegalArgumentException.class, () -> store.put("a/../../x", new ByteArrayInputStream(new byte[1])));
        assertFalse(Files.exists(root.getParent().resolve("x")));
    }

    @Test
    void placeMovesTheFileInAtOnceAndItsFlushCanBeAwaited() throws IOException {
        store.put("t/a/old.dcm", new ByteArrayInputStream(new byte[] {9}));
        Path staged = staged("1.tmp", new byte[] {1, 2});
        BlobStore.Placement placed = store.place(new BlobStore.StagedFile("t/new/dir/1.dcm", staged));
        assertFalse(Files.exists(staged), "moved, not copied");
        assertEquals(2, store.size("t/new/dir/1.dcm"), "in place before its flush is awaited");
        BlobStore.Placement replaced = store.place(new BlobStore.StagedFile("t/a/old.dcm", staged("2.tmp", new byte[] {7, 7, 7})));
        BlobStore.Placement.awaitAll(List.of(placed, replaced));
        assertEquals(3, store.size("t/a/old.dcm"));
    }

    @Test
    void storageUrlsNameLocalDirectories() throws IOException {
        assertEquals(Path.of("/srv/blobs"), BlobStoreFactory.localDirectory("file:/srv/blobs"));
        assertEquals(Path.of("/srv/blobs"), BlobStoreFactory.localDirectory("file:///srv/blobs"));
        assertEquals(Path.of("data/blobs"), BlobStoreFactory.localDirectory("file:data/blobs"));
        assertEquals(null, BlobStoreFactory.localDirectory("s3://bucket"));
        try (BlobStore opened = BlobStoreFactory.open(BlobStoreFactory.fileUrl(tmp.resolve("other")), S3Options.DEFAULT)) {
            assertTrue(opened instanceof LocalBlobStore);
            opened.put("k", new ByteArrayInputStream(new byte[] {1}));
        }
        assertTrue(Files.exists(tmp.resolve("other/k")));
        UnsupportedOperationException noS3 = assertThrows(UnsupportedOperationException.class,
                () -> BlobStoreFactory.open("s3://bucket/prefix", S3Options.DEFAULT));
        assertTrue(noS3.getMessage().contains("stratus-storage-s3"), noS3.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BlobStoreFactory.open("ftp://host/dir", S3Options.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> BlobStoreFactory.open("file:", S3Options.DEFAULT));
    }
}
