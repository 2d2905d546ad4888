package dev.stratus.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile objects are refused once over a budget, saying which one and where; objects just within it are read. */
class ParseBudgetTest {
    private static final int REFERENCED_SERIES = 0x00081115;
    private static final int REFERENCED_IMAGE = 0x00081140;

    /** Explicit VR Little Endian: an undefined-length sequence of {@code items} empty items, produced as read. */
    static InputStream emptyItems(long items, long[] consumed) {
        byte[] head = {0x08, 0x00, 0x15, 0x11, 'S', 'Q', 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        byte[] item = {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 0, 0, 0, 0};
        byte[] end = {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0};
        long total = head.length + items * item.length + end.length;
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                if (pos >= total) return -1;
                long p = pos++;
                consumed[0] = pos;
                if (p < head.length) return head[(int) p] & 0xFF;
                long inItems = p - head.length;
                if (inItems < items * item.length) return item[(int) (inItems % item.length)] & 0xFF;
                return end[(int) (p - total + end.length)] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= total) return -1;
                int n = (int) Math.min(len, total - pos);
                for (int i = 0; i < n; i++) b[off + i] = (byte) read();
                return n;
            }
        };
    }

    private static DataSet read(InputStream in, ParseBudget budget) throws IOException {
        return new DicomReader(in, -1).readDataSet(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.ALL.within(budget));
    }

    @Test
    void itemsUpToTheElementBudgetAreReadAndOneMoreIsRefusedNamingTheBudget() throws Exception {
        ParseBudget budget = ParseBudget.DEFAULT.withMaxElements(1001); // the sequence element and its items
        DataSet ds = read(emptyItems(1000, new long[1]), budget);
        assertEquals(1000, ds.getItems(REFERENCED_SERIES).size());
        ParseBudgetExceededException e = assertThrows(ParseBudgetExceededException.class,
                () -> read(emptyItems(1001, new long[1]), budget));
        assertEquals(ParseBudget.Limit.ELEMENTS, e.limit());
        assertEquals(1001, e.max());
        assertTrue(e.getMessage().contains("over the parse budget of 1,001 elements and items"), e.getMessage());
        assertTrue(e.getMessage().contains("(0008,1115)[1000]"), "says which item: " + e.getMessage());
        assertEquals(12 + 1000 * 8, e.offset(), "the offset of the item over budget");
    }

    @Test
    void fiftyMillionEmptyItemsAreRefusedAfterTheDefaultBudgetWithoutReadingThemAll() {
        long[] consumed = new long[1];
        ParseBudgetExceededException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () ->
                assertThrows(ParseBudgetExceededException.class, () -> read(emptyItems(50_000_000, consumed), ParseBudget.DEFAULT)));
        assertEquals(ParseBudget.Limit.ELEMENTS, e.limit());
        assertEquals(ParseBudget.DEFAULT.maxElements(), e.max());
        // Stopped at the budget: 1,000,000 items of 8 bytes (plus one buffer read ahead) of the 400 MB offered.
        assertTrue(consumed[0] < ParseBudget.DEFAULT.maxElements() * 8 + (1 << 20), "read " + consumed[0] + " bytes");
    }

    /** A data set nesting {@code levels} sequences, each holding one item with the next sequence. */
    static byte[] nested(int levels) throws IOException {
        DataSet inner = new DataSet();
        inner.setString(0x00100010, VR.PN, "Deep^Est");
        for (int i = 0; i < levels; i++) {
            DataSet outer = new DataSet();
            outer.setSequence(REFERENCED_IMAGE, java.util.List.of(inner));
            inner = outer;
        }
        return DicomWriter.encode(inner, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void sequencesUpToTheDepthBudgetAreReadAndOneLevelDeeperIsRefused() throws Exception {
        ParseBudget budget = ParseBudget.DEFAULT.withMaxDepth(10);
        new DicomReader(nested(10)).readDataSet(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.ALL.within(budget));
        ParseBudgetExceededException e = assertThrows(ParseBudgetExceededException.class,
                () -> new DicomReader(nested(11)).readDataSet(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.ALL.within(budget)));
        assertEquals(ParseBudget.Limit.DEPTH, e.limit());
        assertTrue(e.getMessage().contains("over the parse budget of 10 levels of sequence nesting"), e.getMessage());
        assertTrue(e.getMessage().contains("(0008,1140)[0] > (0008,1140)[0]"), e.getMessage());
    }

    private static byte[] texts(int count, int bytesEach) throws IOException {
        DataSet ds = new DataSet();
        for (int i = 0; i < count; i++) ds.setString(0x00190010 + (i << 8) + 0x1000, VR.UT, "x".repeat(bytesEach));
        return DicomWriter.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void valuesUpToTheByteBudgetAreReadAndOneByteMoreIsRefused() throws Exception {
        ParseBudget budget = ParseBudget.DEFAULT.withMaxValueBytes(40_000);
        byte[] fits = texts(4, 10_000);
        assertEquals(4, new DicomReader(fits).readDataSet(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.ALL.within(budget)).size());
        DataSet more = new DataSet();
        more.setString(0x00191000, VR.UT, "x".repeat(10_000));
        more.setString(0x00191100, VR.UT, "x".repeat(10_000));
        more.setString(0x00191200, VR.UT, "x".repeat(10_000));
        more.setString(0x00191300, VR.UT, "x".repeat(10_002)); // even length: 2 bytes over
        byte[] tooMuch = DicomWriter.encode(more, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        ParseBudgetExceededException e = assertThrows(ParseBudgetExceededException.class,
                () -> new DicomReader(tooMuch).readDataSet(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.ALL.within(budget)));
        assertEquals(ParseBudget.Limit.VALUE_BYTES, e.limit());
        assertTrue(e.getMessage().contains("40,000 bytes of values held in memory"), e.getMessage());
        assertTrue(e.getMessage().contains("(0019,1300)"), e.getMessage());
    }

    @Test
    void aHugeDeclaredValueIsRefusedBeforeItsBytesArrive() {
        // A 3 GB UT value declared on a stream of unknown length: refused by the budget, nothing allocated for it.
        byte[] head = {0x19, 0x00, 0x00, 0x10, 'U', 'T', 0, 0, 0, 0, 0, (byte) 0xC0};
        ParseBudgetExceededException e = assertThrows(ParseBudgetExceededException.class,
                () -> read(new java.io.ByteArrayInputStream(head), ParseBudget.DEFAULT));
        assertEquals(ParseBudget.Limit.VALUE_BYTES, e.limit());
    }

    @Test
    void valuesLeftAsBulkDataDoNotCountAgainstTheByteBudget() throws Exception {
        DataSet ds = new DataSet();
        ds.put(new ValueElement(Tag.PixelData, VR.OB, new byte[100_000]));
        byte[] bytes = DicomWriter.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        ReadOptions opts = ReadOptions.ALL.bulkDataOver(1024).within(ParseBudget.DEFAULT.withMaxValueBytes(1024));
        assertInstanceOf(BulkDataElement.class, new DicomReader(bytes).readDataSet(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, opts).get(Tag.PixelData));
    }

    @Test
    void longTextOverTheTextThresholdStaysInTheSourceUncountedAndShortTextIsRead() throws Exception {
        DataSet ds = new DataSet();
        ds.setString(Tag.PatientName, VR.PN, "Long^Text");
        ds.put(new ValueElement(0x00091010, VR.UT, "A".repeat(100_000).getBytes(StandardCharsets.US_ASCII)));
        ds.put(new ValueElement(0x00091011, VR.UC, "B".repeat(100_000).getBytes(StandardCharsets.US_ASCII)));
        ds.put(new ValueElement(0x00091012, VR.LT, "short".getBytes(StandardCharsets.US_ASCII)));
        ds.put(new ValueElement(0x00091013, VR.LO, "C".repeat(2000).getBytes(StandardCharsets.US_ASCII)));
        byte[] bytes = DicomWriter.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        ReadOptions opts = ReadOptions.ALL.textOver(1024).within(ParseBudget.DEFAULT.withMaxValueBytes(4096));
        DataSet read = new DicomReader(bytes).readDataSet(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, opts);
        BulkDataElement ut = assertInstanceOf(BulkDataElement.class, read.get(0x00091010));
        assertEquals(VR.UT, ut.vr());
        assertEquals("A".repeat(100_000), new String(BulkDataSource.of(bytes).read(ut), StandardCharsets.US_ASCII));
        assertInstanceOf(BulkDataElement.class, read.get(0x00091011));
        assertEquals("short", read.getString(0x00091012));
        assertEquals("Long^Text", read.getString(Tag.PatientName));
        assertInstanceOf(ValueElement.class, read.get(0x00091013), "LO is no long text: read, and counted");
        assertThrows(ParseBudgetExceededException.class, () -> new DicomReader(bytes).readDataSet(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                ReadOptions.ALL.within(ParseBudget.DEFAULT.withMaxValueBytes(4096))), "read whole, the text is over the budget");
    }

    /** A Part 10 file in Deflated Explicit VR Little Endian holding {@code pixelBytes} zero bytes of pixel data. */
    static byte[] deflatedZeros(int pixelBytes) throws IOException {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4");
        ds.put(new ValueElement(Tag.PixelData, VR.OB, new byte[pixelBytes]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, ds, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, null);
        return out.toByteArray();
    }

    @Test
    void largeValuesOfADeflatedObjectStayBulkDataInsteadOfFillingTheHeap() throws Exception {
        byte[] file = deflatedZeros(4 << 20);
        DicomFile f = new DicomReader(new java.io.ByteArrayInputStream(file), file.length)
                .readFile(ReadOptions.ALL.bulkDataOver(64 * 1024).within(ParseBudget.DEFAULT.withMaxValueBytes(64 * 1024)));
        BulkDataElement pixels = assertInstanceOf(BulkDataElement.class, f.dataSet().get(Tag.PixelData));
        assertEquals(4 << 20, pixels.length());
        assertEquals("1.2.3.4", f.dataSet().getString(Tag.SOPInstanceUID));
    }

    /**
     * A deflate bomb: a Part 10 header, then a raw deflate stream of a 4 GiB OB value of zeros (about 4 MB
     * compressed). Made in a moment: once the window holds only zeros, every further MiB of zeros compresses to
     * the same bytes, so one such block is repeated.
     */
    public static byte[] deflateBomb() throws IOException {
        byte[] header = deflatedZeros(0);
        DicomFile meta = DicomReader.read(header);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header, 0, (int) meta.dataSetOffset());
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            out.writeBytes(flushed(deflater, new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
            byte[] zeros = new byte[1 << 20];
            out.writeBytes(flushed(deflater, zeros));
            byte[] block = flushed(deflater, zeros);
            if (!java.util.Arrays.equals(block, flushed(deflater, zeros))) throw new IllegalStateException("blocks differ");
            for (int i = 0; i < 4093; i++) out.writeBytes(block);
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }

    private static byte[] flushed(Deflater deflater, byte[] input) {
        deflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buf, 0, n);
            if (n < buf.length && deflater.needsInput()) break;
        }
        return out.toByteArray();
    }

    @Test
    void aDeflateBombIsRefusedQuicklyByItsRatio() throws Exception {
        byte[] bomb = deflateBomb();
        assertTrue(bomb.length < 8 << 20, "compressed " + bomb.length);
        long start = System.nanoTime();
        ParseBudgetExceededException e = assertThrows(ParseBudgetExceededException.class, () ->
                new DicomReader(new java.io.ByteArrayInputStream(bomb), bomb.length).readFile(ReadOptions.ALL.bulkDataOver(64 * 1024)));
        assertEquals(ParseBudget.Limit.INFLATE_RATIO, e.limit());
        assertTrue(e.getMessage().contains("100 inflated bytes per compressed byte"), e.getMessage());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused within 5 s");
    }

    @Test
    void aDeflatedObjectInflatingPastTheSizeBudgetIsRefused() throws Exception {
        byte[] bomb = deflateBomb();
        ParseBudget budget = ParseBudget.DEFAULT.withMaxInflatedBytes(8 << 20).withMaxInflateRatio(1100);
        ParseBudgetExceededException e = assertThrows(ParseBudgetExceededException.class, () ->
                new DicomReader(bomb).readFile(ReadOptions.ALL.bulkDataOver(64 * 1024).within(budget)));
        assertEquals(ParseBudget.Limit.INFLATED_BYTES, e.limit());
        assertTrue(e.getMessage().contains("8,388,608 inflated bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("(7FE0,0010)"), e.getMessage());
    }

    @Test
    void theBombIsWhatItClaims() throws Exception {
        byte[] bomb = deflateBomb();
        DicomFile meta = new DicomReader(bomb).readFile(ReadOptions.ALL.stopBefore(0));
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        try (InputStream z = new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(bomb,
                (int) meta.dataSetOffset(), bomb.length), inflater)) {
            z.skipNBytes(256L << 20);
            assertTrue(inflater.getBytesRead() < 512 * 1024, "256 MiB from " + inflater.getBytesRead() + " bytes");
        } finally {
            inflater.end();
        }
    }

    @Test
    void aSmallHighlyCompressibleDeflatedObjectIsReadWhole() throws Exception {
        byte[] file = deflatedZeros(8 << 20); // ~1000:1, but below the floor where the ratio counts
        assertEquals(8 << 20, ((ValueElement) DicomReader.read(file).dataSet().get(Tag.PixelData)).bytes().length);
    }
}
