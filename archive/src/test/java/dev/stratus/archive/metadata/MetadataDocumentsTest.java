package dev.stratus.archive.metadata;

import dev.stratus.archive.Archive;
import dev.stratus.archive.ingest.IngestServiceTest;
import dev.stratus.codec.Uids;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Series metadata read a few instances at a time is the same document, byte for byte, as read one after the other
 * (what the worker stores, and what every request answered before); a blob that cannot be read fails it.
 */
class MetadataDocumentsTest {
    @TempDir
    Path dir;

    @Test
    void readingHeadersAFewAtATimeGivesTheDocumentReadOneAfterTheOther() throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(dir))) {
            String study = Uids.generate(), series = Uids.generate();
            for (int i = 0; i < 3 * MetadataDocuments.AHEAD + 5; i++) {
                // pixel data over the metadata threshold in every other instance: BulkDataURIs as well as inline values
                byte[] file = IngestServiceTest.instance(study, series, Uids.generate(), "Patient^" + i, i % 2 == 0 ? 600 : 3000);
                archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(file), null, "test");
            }
            List<StoredInstance> listed = archive.retrieve().find(TenantId.DEFAULT, study, series, null);
            MetadataDocuments documents = new MetadataDocuments(archive.retrieve()); // every header read from its blob

            byte[] oneByOne = write(documents, listed, 1), aFewAtATime = write(documents, listed, MetadataDocuments.AHEAD);
            assertArrayEquals(oneByOne, aFewAtATime);
            String json = new String(aFewAtATime, StandardCharsets.UTF_8);
            for (StoredInstance i : listed) assertTrue(json.contains(i.sopInstanceUid()), i.sopInstanceUid());
            assertTrue(json.contains("\"BulkDataURI\":\"http://h/dicomweb/studies/" + study), "values left in the blobs are linked");
        }
    }

    @Test
    void aBlobThatCannotBeReadFailsTheDocument() throws Exception {
        String study = Uids.generate(), series = Uids.generate();
        try (Archive archive = Archive.open(Archive.Settings.in(dir))) {
            for (int i = 0; i < 2 * MetadataDocuments.AHEAD; i++) {
                archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(
                        IngestServiceTest.instance(study, series, Uids.generate(), "Lost^Blob", 600)), null, "test");
            }
        }
        // opened again: the headers the ingest parsed are kept in memory only, so the blobs are read
        try (Archive archive = Archive.open(Archive.Settings.in(dir))) {
            List<StoredInstance> listed = archive.retrieve().find(TenantId.DEFAULT, study, series, null);
            StoredInstance lost = listed.get(MetadataDocuments.AHEAD + 3);
            archive.store().delete(lost.blobKey()); // still indexed: not an instance deleted meanwhile

            IOException e = assertThrows(IOException.class, () -> write(new MetadataDocuments(archive.retrieve()), listed, MetadataDocuments.AHEAD));
            assertTrue(e.getMessage().contains(lost.blobKey()), e.getMessage());
            assertEquals(listed.size(), archive.retrieve().find(TenantId.DEFAULT, study, series, null).size());
        }
    }

    private static byte[] write(MetadataDocuments documents, List<StoredInstance> instances, int ahead) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        documents.write(instances, "http://h/dicomweb/", false, out, ahead);
        return out.toByteArray();
    }
}
