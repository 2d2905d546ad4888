package dev.stratus.archive.ingest;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.index.Index;
import dev.stratus.index.IndexUnavailableException;
import dev.stratus.index.TenantId;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.pipeline.ArchiveEvent;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.storage.LocalBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class IngestServiceTest {
    @TempDir
    Path dir;

    public static byte[] instance(String study, String series, String sop, String patient) throws Exception {
        return instance(study, series, sop, patient, 200_000);
    }

    public static byte[] instance(String study, String series, String sop, String patient, int pixelBytes) throws Exception {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(0x00100010, VR.PN, patient);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.put(new ValueElement(Tag.PixelData, VR.OB, new byte[pixelBytes]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
        return out.toByteArray();
    }

    @Test
    void storingTheSameInstanceAgainReplacesItAndLeavesOneBlob() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            List<ArchiveEvent> events = new CopyOnWriteArrayList<>();
            bus.subscribe("test", events::add);
            IngestService ingest = new IngestService(index, store, bus, dir.resolve("spool"));
            String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
            IngestOutcome first = ingest.ingest(TenantId.DEFAULT, new ByteArrayInputStream(instance(study, series, sop, "A^B")), null, "test");
            IngestOutcome second = ingest.ingest(TenantId.DEFAULT, new ByteArrayInputStream(instance(study, series, sop, "A^C")), null, "test");
            assertInstanceOf(IngestOutcome.Stored.class, first);
            assertTrue(((IngestOutcome.Stored) second).replaced());
            assertEquals(1, store.list("tenants").size(), "the replaced blob is gone");
            assertEquals(1, index.listInstances(TenantId.DEFAULT, study, null).size());
            try (var spool = Files.list(dir.resolve("spool"))) {
                assertEquals(0, spool.count(), "nothing left in the spool");
            }
        }
    }

    /** The index, except that every store fails as when the database goes away. */
    static Index failingStores(Index real) {
        return (Index) Proxy.newProxyInstance(Index.class.getClassLoader(), new Class<?>[] {Index.class}, (p, m, args) -> {
            if (m.getName().equals("store")) throw new IndexUnavailableException("database went away", null);
            return m.invoke(real, args);
        });
    }

    @Test
    void anIndexFailureLeavesNoBlobAndReachesTheCaller() throws Exception {
        try (Index real = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            Index failing = failingStores(real);
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            IngestService ingest = new IngestService(failing, store, bus, dir.resolve("spool"));
            byte[] file = instance(Uids.generate(), Uids.generate(), Uids.generate(), "X^Y");
            assertThrows(IndexUnavailableException.class, () -> ingest.ingest(TenantId.DEFAULT, new ByteArrayInputStream(file), null, "test"));
            assertEquals(List.of(), store.list(""), "no orphan blob");
        }
    }

    @Test
    void aTruncatedObjectIsRefusedAndNothingIsStored() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            IngestService ingest = new IngestService(index, store, bus, dir.resolve("spool"));
            byte[] file = instance(Uids.generate(), Uids.generate(), Uids.generate(), "Tr^Uncated");
            byte[] cut = java.util.Arrays.copyOf(file, file.length - 1000);
            IngestOutcome r = ingest.ingest(TenantId.DEFAULT, new ByteArrayInputStream(cut), null, "test");
            IngestOutcome.Failed f = assertInstanceOf(IngestOutcome.Failed.class, r);
            assertEquals(FailureReason.CANNOT_UNDERSTAND, f.reason());
            assertTrue(f.message().contains("7FE0,0010"), f.message());
            assertEquals(List.of(), store.list(""));
        }
    }

    @Test
    void anInstanceWhoseHeaderOutgrowsTheSpoolsHeadIsParsedOnFromTheFileAndStoredByteForByte() throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
            IngestService ingest = new IngestService(index, store, bus, dir.resolve("spool"));
            String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
            // ImageType (0008,0008) of 70,000 bytes comes before every UID: they all lie past the first 64 KB
            DataSet ds = new DataSet();
            ds.setString(0x00080008, VR.CS, "ORIGINAL\\PRIMARY\\" + "A\\".repeat(35_000) + "AXIAL");
            ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
            ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
            ds.setString(Tag.StudyInstanceUID, VR.UI, study);
            ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
            ds.put(new ValueElement(Tag.PixelData, VR.OB, new byte[300_001 + 1]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
            byte[] file = out.toByteArray();

            IngestOutcome r = ingest.ingest(TenantId.DEFAULT, new ByteArrayInputStream(file), null, "test");
            IngestOutcome.Stored stored = assertInstanceOf(IngestOutcome.Stored.class, r);
            assertEquals(sop, stored.sopInstanceUid());
            var listed = index.listInstances(TenantId.DEFAULT, study, series);
            assertEquals(1, listed.size(), "indexed under the UIDs read past the head");
            try (var in = store.open(listed.getFirst().blobKey())) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(file, in.readAllBytes(), "the stored object is the one sent");
            }
        }
    }
}
