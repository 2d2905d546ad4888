package dev.stratus.archive.ingest;

import dev.stratus.archive.retrieve.InstanceHeader;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DeflateBombs;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.ParseBudget;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.index.Index;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.storage.LocalBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Objects built to hurt the archive are refused as that object's failure, leaving nothing behind. */
class HostileInputTest {
    static final String SC = "1.2.840.10008.5.1.4.1.1.7";

    @TempDir
    Path dir;
    Index index;
    InProcessEventBus bus;
    LocalBlobStore store;
    IngestService ingest;

    @BeforeEach
    void open() throws IOException {
        index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true);
        bus = new InProcessEventBus();
        store = new LocalBlobStore(dir.resolve("blobs"));
        ingest = new IngestService(index, store, bus, dir.resolve("spool"));
    }

    @AfterEach
    void close() {
        bus.close();
        index.close();
    }

    static DataSet identified(String sop) {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, SC);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, Uids.generate());
        ds.setString(Tag.SeriesInstanceUID, VR.UI, Uids.generate());
        return ds;
    }

    static byte[] part10(DataSet ds, TransferSyntax ts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, ds, ts, null);
        return out.toByteArray();
    }

    private IngestOutcome store(byte[] bytes) throws IOException {
        return ingest.ingest(TenantId.DEFAULT, new ByteArrayInputStream(bytes), null, "test");
    }

    private void assertNothingLeft() throws IOException {
        try (var spool = Files.list(dir.resolve("spool"))) {
            assertEquals(List.of(), spool.toList(), "spool files left");
        }
        assertEquals(List.of(), store.list(""), "blobs left");
    }

    @Test
    void anObjectOverTheElementBudgetFailsOutOfResourcesSayingWhichBudget() throws Exception {
        ingest.parseWithin(ParseBudget.DEFAULT.withMaxElements(1_000));
        DataSet ds = identified(Uids.generate());
        List<DataSet> items = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) items.add(new DataSet());
        ds.setSequence(0x00081115, items);
        IngestOutcome.Failed f = assertInstanceOf(IngestOutcome.Failed.class, store(part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
        assertEquals(FailureReason.OUT_OF_RESOURCES, f.reason());
        assertTrue(f.message().contains("over the parse budget of 1,000 elements and items"), f.message());
        assertTrue(f.message().contains("(0008,1115)["), f.message());
        assertNothingLeft();
        // the same object within the default budget is stored
        ingest.parseWithin(ParseBudget.DEFAULT);
        assertInstanceOf(IngestOutcome.Stored.class, store(part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
    }

    @Test
    void aMultiValuedUidIsRefusedAsNotMatchingItsSopClassInsteadOfStoredUnderItsFirstValue() throws Exception {
        for (int tag : new int[] {Tag.SOPInstanceUID, Tag.StudyInstanceUID, Tag.SeriesInstanceUID}) {
            DataSet ds = identified(Uids.generate());
            ds.setString(tag, VR.UI, "1.2.3", "4.5");
            IngestOutcome.Failed f = assertInstanceOf(IngestOutcome.Failed.class, store(part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
            assertEquals(FailureReason.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, f.reason());
            assertTrue(f.message().contains("has 2 values ('1.2.3\\4.5') where one is required"), f.message());
        }
        assertTrue(index.findInstance(TenantId.DEFAULT, null, null, "1.2.3").isEmpty());
        assertNothingLeft();
    }

    @Test
    void aDeflateBombOfAFewMegabytesIsRefusedQuicklyAsOutOfResources() throws Exception {
        // (0009,1010) of 4 GiB - 2: some 4 MB that would inflate to 4 GiB
        byte[] bomb = DeflateBombs.deflatedZeros(identified(Uids.generate()), 0xFFFFFFFEL, 4095);
        assertTrue(bomb.length < 8 << 20, "compressed " + bomb.length);
        long start = System.nanoTime();
        IngestOutcome.Failed f = assertInstanceOf(IngestOutcome.Failed.class, store(bomb));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "refused within 10 s");
        assertEquals(FailureReason.OUT_OF_RESOURCES, f.reason());
        assertTrue(f.message().contains("inflated bytes per compressed byte"), f.message());
        assertNothingLeft();
    }

    @Test
    void largeValuesOfADeflatedInstanceBecomeBulkDataThatServesTheirBytes() throws Exception {
        DataSet ds = identified(Uids.generate());
        byte[] text = new byte[3 << 20];
        for (int i = 0; i < text.length; i++) text[i] = (byte) ('A' + i % 26);
        ds.put(new ValueElement(0x00091010, VR.OB, text));
        IngestOutcome.Stored s = assertInstanceOf(IngestOutcome.Stored.class, store(part10(ds, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)));
        assertEquals(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid(), s.transferSyntaxUid());
        RetrieveService retrieve = new RetrieveService(index, store);
        StoredInstance inst = retrieve.find(TenantId.DEFAULT, s.studyUid(), s.seriesUid(), s.sopInstanceUid()).getFirst();
        InstanceHeader h = retrieve.header(inst);
        BulkDataElement b = assertInstanceOf(BulkDataElement.class, h.dataSet().get(0x00091010), "left as bulk data, not read into the header");
        try (InputStream in = retrieve.openRange(inst, b.offset(), b.length())) {
            assertArrayEquals(text, in.readAllBytes());
        }
        try (InputStream in = retrieve.openRange(inst, b.offset() + 26, 4)) {
            assertArrayEquals("ABCD".getBytes(), in.readAllBytes());
        }
    }

    @Test
    void aBareDataSetIsStoredAsPart10WithItsBytesUnchanged() throws Exception {
        for (TransferSyntax ts : List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)) {
            DataSet ds = identified(Uids.generate());
            ds.setString(0x00100010, VR.PN, "Bare^Data");
            ds.put(new ValueElement(Tag.PixelData, VR.OW, new byte[300_000]));
            byte[] bare = DicomWriter.encode(ds, ts);
            IngestOutcome.Stored s = assertInstanceOf(IngestOutcome.Stored.class, store(bare));
            assertEquals(ts.uid(), s.transferSyntaxUid());
            StoredInstance inst = index.findInstance(TenantId.DEFAULT, null, null, s.sopInstanceUid()).orElseThrow();
            byte[] stored;
            try (InputStream in = store.open(inst.blobKey())) {
                stored = in.readAllBytes();
            }
            var f = DicomReader.read(stored);
            assertTrue(f.hasPreamble());
            assertEquals(ts.uid(), f.fileMeta().getString(Tag.TransferSyntaxUID));
            assertEquals(s.sopInstanceUid(), f.fileMeta().getString(Tag.MediaStorageSOPInstanceUID));
            assertArrayEquals(bare, java.util.Arrays.copyOfRange(stored, (int) f.dataSetOffset(), stored.length), "data set copied as it came");
        }
        assertEquals(List.of(), Files.list(dir.resolve("spool")).toList());
    }

    @Test
    void aFailureOfAnyKindWhileSpoolingLeavesNoSpoolFile() throws Exception {
        for (boolean direct : new boolean[] {true, false}) {
            IngestService service = new IngestService(index, store, bus, dir.resolve("spool"), direct);
            for (int failAt : new int[] {300_000, 5 << 20}) { // after the first chunk, and a few chunks later
                InputStream breaking = new InputStream() {
                    int n;

                    @Override
                    public int read() {
                        if (n++ >= failAt) throw new OutOfMemoryError("simulated");
                        return 0;
                    }
                };
                assertThrows(OutOfMemoryError.class, () -> service.ingest(TenantId.DEFAULT, breaking, null, "test"));
                assertNothingLeft();
            }
        }
    }

    @Test
    void startUpDeletesTheSpoolFilesAnEarlierProcessLeft() throws Exception {
        Path spool = dir.resolve("spool");
        Files.write(spool.resolve("ingest-0b7c.dcm"), new byte[1000]);
        Files.write(spool.resolve("ingest-0b7c.dcm.part10"), new byte[1000]);
        Files.writeString(spool.resolve("README"), "not ours");
        assertEquals(2, ingest.deleteSpoolLeftovers());
        try (var files = Files.list(spool)) {
            assertEquals(List.of(spool.resolve("README")), files.toList());
        }
    }
}
