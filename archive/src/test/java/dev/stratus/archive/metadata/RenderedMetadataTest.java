package dev.stratus.archive.metadata;

import dev.stratus.archive.Archive;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Series metadata written from the JSON the ingest rendered is the document read from the blobs, byte for byte; an
 * instance replaced or deleted after it was stored never appears as it was; what needs the blob is read from it.
 */
class RenderedMetadataTest {
    private static final String BASE = "http://h/dicomweb/";

    @TempDir
    Path dir;

    @Test
    void seriesMetadataFromWhatTheIngestRenderedIsTheDocumentReadFromTheBlobs() throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(dir))) {
            String study = Uids.generate(), series = Uids.generate();
            for (int i = 0; i < 2 * MetadataDocuments.AHEAD + 3; i++) {
                DataSet ds = GeneratedCt.ct(study, series, Uids.generate(), "Rendered^" + i, "P" + i, i + 1, i % 3 == 0 ? 4 : 1);
                if (i % 4 == 1) ds.setString(Tag.ImageComments, VR.LT, "kept inline ".repeat(200)); // over 1 KiB, text
                if (i % 5 == 2) ds.setString(0x00181030, VR.LO, "Protocol \\ with \"quotes\" and ünïcode");
                store(archive, GeneratedCt.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            }
            // a long text stays in the blob (read inline from it); a bare data set is rewritten under other offsets
            DataSet longText = GeneratedCt.ct(study, series, Uids.generate(), "Long^Text", "PL", 90);
            longText.setString(0x0040A160, VR.UT, "x".repeat(70 * 1024)); // Text Value
            store(archive, GeneratedCt.part10(longText, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            DataSet bare = GeneratedCt.ct(study, series, Uids.generate(), "Bare^Set", "PB", 91);
            store(archive, DicomWriter.encode(bare, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));

            MetadataDocuments documents = archive.seriesMetadata().documents();
            List<StoredInstance> listed = archive.retrieve().find(TenantId.DEFAULT, study, series, null);
            int rendered = 0;
            for (StoredInstance i : listed) if (documents.rendered().of(i, false) != null) rendered++;
            assertEquals(listed.size() - 2, rendered, "every instance but the long text and the bare data set rendered at ingest");
            assertNull(documents.rendered().of(listed.getFirst(), true), "rendered with the tenant's number format only");

            MetadataDocuments fromBlobs = new MetadataDocuments(archive.retrieve());
            for (boolean asStrings : new boolean[] {false, true}) {
                byte[] expected = write(fromBlobs, listed, asStrings, 1);
                assertArrayEquals(expected, write(documents, listed, asStrings, MetadataDocuments.AHEAD), "a few at a time, numbers as strings: " + asStrings);
                assertArrayEquals(expected, write(documents, listed, asStrings, 1), "the worker's way, numbers as strings: " + asStrings);
            }
            assertTrue(new String(write(documents, listed, false, 16), StandardCharsets.UTF_8).contains("x".repeat(70 * 1024)), "the long text inline");
            ByteArrayOutputStream relative = new ByteArrayOutputStream();
            documents.write(listed, "", false, relative, 1);
            assertTrue(relative.toString(StandardCharsets.UTF_8).contains("\"BulkDataURI\":\"studies/" + study), "stored documents: relative URIs");
        }
    }

    @Test
    void anInstanceReplacedOrDeletedAfterItWasStoredNeverAppearsAsItWas() throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(dir))) {
            String study = Uids.generate(), series = Uids.generate();
            String replaced = Uids.generate(), deleted = Uids.generate();
            store(archive, GeneratedCt.part10(GeneratedCt.ct(study, series, replaced, "Before^Replace", "P1", 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            store(archive, GeneratedCt.part10(GeneratedCt.ct(study, series, deleted, "Deleted^Later", "P2", 2), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            store(archive, GeneratedCt.part10(GeneratedCt.ct(study, series, Uids.generate(), "Stays^Put", "P3", 3), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            MetadataDocuments documents = archive.seriesMetadata().documents();
            String before = new String(write(documents, archive.retrieve().find(TenantId.DEFAULT, study, series, null), false, 16), StandardCharsets.UTF_8);
            assertTrue(before.contains("Before^Replace") && before.contains("Deleted^Later"), before);

            store(archive, GeneratedCt.part10(GeneratedCt.ct(study, series, replaced, "After^Replace", "P1", 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            assertTrue(archive.delete().delete(TenantId.DEFAULT, study, series, deleted));

            List<StoredInstance> listed = archive.retrieve().find(TenantId.DEFAULT, study, series, null);
            assertEquals(2, listed.size());
            for (StoredInstance i : listed) assertNotNull(documents.rendered().of(i, false), "the new version rendered too: " + i.sopInstanceUid());
            for (int ahead : new int[] {1, 16}) {
                byte[] now = write(documents, listed, false, ahead);
                String json = new String(now, StandardCharsets.UTF_8);
                assertTrue(json.contains("After^Replace"), json);
                assertFalse(json.contains("Before^Replace"), "the replaced version is gone: " + json);
                assertFalse(json.contains("Deleted^Later") || json.contains(deleted), "the deleted instance is gone: " + json);
                assertArrayEquals(write(new MetadataDocuments(archive.retrieve()), listed, false, 1), now);
            }
        }
    }

    private static void store(Archive archive, byte[] object) throws IOException {
        archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(object), null, "test");
    }

    private static byte[] write(MetadataDocuments documents, List<StoredInstance> instances, boolean asStrings, int ahead) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        documents.write(instances, BASE, asStrings, out, ahead);
        return out.toByteArray();
    }
}
