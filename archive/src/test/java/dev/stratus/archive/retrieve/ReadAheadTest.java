package dev.stratus.archive.retrieve;

import dev.stratus.archive.Archive;
import dev.stratus.archive.ingest.IngestServiceTest;
import dev.stratus.codec.Uids;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import dev.stratus.storage.BlobNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A response's instances written in order with their bytes read ahead: the same bytes as reading each in its turn. */
class ReadAheadTest {
    @TempDir
    Path dir;

    @Test
    void writesEachInstanceAsStoredInOrderAsWriteInstanceDoes() throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(dir))) {
            List<StoredInstance> listed = store(archive, 12);
            RetrieveService retrieve = archive.retrieve();
            assertWritesAsStored(retrieve, listed, "");
        }
    }

    @Test
    void largeInstancesOfDifferentSizesComeBackWholeWhenBuffersAreReusedAcrossResponses() throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(dir))) {
            // large enough for direct buffers; a smaller one after a larger one reuses the larger's buffer
            List<StoredInstance> listed = store(archive, new int[] {300_000, 90_000, 200_000, 70_000});
            RetrieveService retrieve = archive.retrieve();
            for (int response = 0; response < 3; response++) assertWritesAsStored(retrieve, listed, "response " + response + ", ");
        }
    }

    /** One response's read-ahead writes each instance as it is stored. */
    private static void assertWritesAsStored(RetrieveService retrieve, List<StoredInstance> listed, String label) throws Exception {
        try (ReadAhead ahead = retrieve.readAhead(listed, null)) {
            for (int i = 0; i < listed.size(); i++) {
                ByteArrayOutputStream got = new ByteArrayOutputStream(), expected = new ByteArrayOutputStream();
                ahead.write(i, got);
                try (InputStream in = retrieve.open(listed.get(i))) {
                    in.transferTo(expected);
                }
                assertArrayEquals(expected.toByteArray(), got.toByteArray(), label + "instance " + i);
            }
        }
    }

    @Test
    void anInstanceDeletedBeforeItsTurnFailsAsWriteInstanceWould() throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(dir))) {
            List<StoredInstance> listed = store(archive, 3);
            archive.store().delete(listed.get(1).blobKey());
            try (ReadAhead ahead = archive.retrieve().readAhead(listed, null)) {
                ahead.write(0, new ByteArrayOutputStream());
                assertThrows(BlobNotFoundException.class, () -> ahead.write(1, new ByteArrayOutputStream()));
            }
        }
    }

    private static List<StoredInstance> store(Archive archive, int n) throws Exception {
        return store(archive, new int[n]);
    }

    /** Instances with these many bytes of pixel data (0: the small default), in this order. */
    private static List<StoredInstance> store(Archive archive, int[] pixelBytes) throws Exception {
        String study = Uids.generate(), series = Uids.generate();
        for (int i = 0; i < pixelBytes.length; i++) {
            byte[] file = pixelBytes[i] == 0 ? IngestServiceTest.instance(study, series, Uids.generate(), "Patient^" + i)
                    : IngestServiceTest.instance(study, series, Uids.generate(), "Patient^" + i, pixelBytes[i]);
            // pixel data (the last value) of its own per instance, so that bytes left over from another would show
            java.util.Arrays.fill(file, file.length - Math.max(pixelBytes[i], 1000), file.length, (byte) (i + 1));
            archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(file), null, "test");
        }
        List<StoredInstance> listed = archive.retrieve().find(TenantId.DEFAULT, study, series, null);
        assertEquals(pixelBytes.length, listed.size());
        return listed;
    }
}
