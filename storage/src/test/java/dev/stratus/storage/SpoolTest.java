package dev.stratus.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Objects received into the spool, then placed in a blob store or deleted: nothing stays behind in the spool. */
class SpoolTest {
    @TempDir
    Path dir;

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private List<Path> spoolFiles() throws IOException {
        try (var files = Files.list(dir.resolve("spool"))) {
            return files.toList();
        }
    }

    @Test
    void receivedObjectsOfEverySizeArePlacedByteForByteEvenWhileTheirWritesRunBehind() throws IOException {
        Spool spool = new Spool(dir.resolve("spool"), true, 1000);
        try (LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"))) {
            int[] sizes = {0, 10, DirectFileWriter.CHUNK - 1, 5 * DirectFileWriter.CHUNK + 3};
            List<BlobStore.Placement> placements = new java.util.ArrayList<>();
            try (Spool.Receiver receiver = spool.receiver()) {
                for (int size : sizes) {
                    SpooledFile f = receiver.receive(new ByteArrayInputStream(random(size)));
                    assertEquals(size, f.size());
                    try (InputStream in = f.open()) {
                        assertArrayEquals(random(size), in.readAllBytes(), "read back through its stream before it is placed");
                    }
                    placements.add(f.placeIn(store, "t/" + size + ".dcm")); // the large one's writes may still be running
                }
            }
            BlobStore.Placement.awaitAll(placements);
            for (int size : sizes) {
                try (InputStream in = store.open("t/" + size + ".dcm")) {
                    assertArrayEquals(random(size), in.readAllBytes(), size + " bytes placed");
                }
            }
            assertEquals(List.of(), spoolFiles(), "every file moved out of the spool");
        }
    }

    @Test
    void anAdoptedFileIsDeletedLikeAReceivedOneAndOnlyTheSpoolsOwnFilesAreLeftovers() throws IOException {
        Spool spool = new Spool(dir.resolve("spool"), true, 1000);
        Path cStore = Files.write(dir.resolve("c-store-1.dcm"), random(5000));
        SpooledFile adopted = spool.adopt(cStore);
        assertEquals(5000, adopted.size());
        adopted.delete();
        assertFalse(Files.exists(cStore));

        try (Spool.Receiver receiver = spool.receiver()) {
            receiver.receive(new ByteArrayInputStream(random(3000))); // as a process stopped before placing it leaves it
        }
        Files.writeString(dir.resolve("spool").resolve("README"), "not the spool's");
        assertEquals(1, spool.deleteLeftovers());
        assertEquals(List.of(dir.resolve("spool").resolve("README")), spoolFiles());
    }
}
