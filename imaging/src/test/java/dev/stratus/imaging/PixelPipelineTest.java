package dev.stratus.imaging;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.stratus.imaging.FrameRendererTest.assertRendersAsDcmtk;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lookup tables of PS3.3 C.11 and C.7.9 against DCMTK's dcmj2pnm (PSNR ≥ 40 dB, as FrameRendererTest). pydicom's
 * own LUT files (mlut_18, vlut_04, the segmented palettes) are downloads, not in Debian's package: the tables are added
 * here to pydicom's MR_small and CT_small, written as Explicit VR Little Endian, and both renderers read that file.
 */
class PixelPipelineTest {
    @TempDir
    Path work;

    /**
     * MR_small's values (0 to 4000) stored in the other layouts a modality writes: each rendered from its minimum to
     * maximum and through a window, as dcmj2pnm does. Bits above High Bit hold noise where the layout leaves room.
     */
    @ParameterizedTest(name = "{0}: {1} bits allocated, {2} stored, pixel representation {3}")
    @CsvSource({
            "unsigned 12 in 16 with noise above, 16, 12, 0, 1, 0, 2000, 3000",
            "signed 12 in 16, 16, 12, 1, 1, -2000, 0, 3000",
            "unsigned 16 above 32767, 16, 16, 0, 16, 0, 40000, 50000",
            "unsigned 8, 8, 8, 0, 1, 0, 125, 200",
            "signed 8, 8, 8, 1, 1, -128, 0, 150",
    })
    void storedLayoutsRenderAsDcmtkDoes(String name, int allocated, int stored, int representation, int scale, int offset,
            int center, int width) throws Exception {
        DataSet ds = mr();
        byte[] mr = ds.getBytes(Tag.PixelData);
        int pixels = 64 * 64, bytes = allocated / 8;
        byte[] out = new byte[bytes * pixels];
        for (int i = 0; i < pixels; i++) {
            int value = ((mr[2 * i] & 0xFF) | mr[2 * i + 1] << 8) * scale / (allocated == 8 ? 16 : 1) + offset;
            int raw = value & ((1 << stored) - 1);
            if (stored < allocated && representation == 0) raw |= (i % 16) << stored; // noise a reader must mask
            else if (representation == 1) raw = value; // sign-extended through the unused bits, as writers do
            for (int b = 0; b < bytes; b++) out[bytes * i + b] = (byte) (raw >> (8 * b));
        }
        ds.setInt(Tag.BitsAllocated, VR.US, allocated);
        ds.setInt(Tag.BitsStored, VR.US, stored);
        ds.setInt(Tag.HighBit, VR.US, stored - 1);
        ds.setInt(Tag.PixelRepresentation, VR.US, representation);
        for (int tag : new int[] {Tag.SmallestImagePixelValue, Tag.LargestImagePixelValue}) ds.remove(tag);
        ds.put(new ValueElement(Tag.PixelData, allocated == 8 ? VR.OB : VR.OW, out));
        assertRendersAsDcmtk(write(ds), null, "+Wm", work);
        assertRendersAsDcmtk(write(ds), new Window(center, width, null), "+Ww " + center + " " + width, work);
    }

    @Test
    void modalityLutOf16BitEntriesReplacesTheRescale() throws Exception {
        DataSet ds = mr();
        int[] lut = new int[4096];
        for (int i = 0; i < lut.length; i++) lut[i] = (int) Math.round(Math.sqrt(i / 4095.0) * 65535); // not a rescale
        ds.setSequence(Tag.ModalityLUTSequence, List.of(lut(4096, 0, 16, words(lut), VR.US, Tag.ModalityLUTType, "US")));
        assertRendersAsDcmtk(write(ds), null, "+Wm", work);
        assertRendersAsDcmtk(write(ds), new Window(30000, 40000, null), "+Ww 30000 40000", work);
    }

    @Test
    void modalityLutOf8BitEntriesClampsValuesOutsideItsRange() throws Exception {
        DataSet ds = mr();
        int[] lut = new int[3000];
        for (int i = 0; i < lut.length; i++) lut[i] = (int) Math.round(255 * Math.pow(i / 2999.0, 2));
        // values below 500 take the first entry, above 3499 the last (C.11.1.1)
        ds.setSequence(Tag.ModalityLUTSequence, List.of(lut(3000, 500, 8, words(lut), VR.US, Tag.ModalityLUTType, "US")));
        assertRendersAsDcmtk(write(ds), null, "+Wm", work);
        assertRendersAsDcmtk(write(ds), new Window(100, 120, null), "+Ww 100 120", work);
    }

    @Test
    void voiLutSequenceIsUsedWhenNoWindowIsAsked() throws Exception {
        DataSet ds = mr();
        int[] lut = new int[4096];
        for (int i = 0; i < lut.length; i++) lut[i] = (int) Math.round(4095 / (1 + Math.exp(-(i - 800) / 150.0)));
        ds.setSequence(Tag.VOILUTSequence, List.of(lut(4096, 0, 12, words(lut), VR.US, Tag.LUTExplanation, "S CURVE")));
        assertRendersAsDcmtk(write(ds), null, "+Wl 1", work);
        // an asked window wins over the data set's VOI LUT
        assertRendersAsDcmtk(write(ds), new Window(600, 1200, null), "+Ww 600 1200", work);
    }

    @Test
    void voiLutWithANegativeFirstValueMappedFollowsTheRescale() throws Exception {
        DataSet ds = read("CT_small.dcm"); // Rescale Intercept -1024: modality values from about -1024 up
        int[] lut = new int[2048];
        for (int i = 0; i < lut.length; i++) lut[i] = (int) Math.round(65535 * Math.pow(i / 2047.0, 0.5));
        DataSet item = new DataSet();
        item.put(new ValueElement(Tag.LUTDescriptor, VR.SS, new byte[] {0, 8, 0x00, (byte) 0xFC, 16, 0})); // 2048, -1024, 16
        item.put(new ValueElement(Tag.LUTData, VR.OW, words(lut)));
        ds.setSequence(Tag.VOILUTSequence, List.of(item));
        assertRendersAsDcmtk(write(ds), null, "+Wl 1", work);
    }

    @Test
    void presentationLutShapeInverseInvertsMonochrome2() throws Exception {
        DataSet ds = mr();
        ds.setString(Tag.PresentationLUTShape, VR.CS, "INVERSE");
        assertRendersAsDcmtk(write(ds), new Window(600, 1600, null), "+Ww 600 1600", work);
    }

    @Test
    void presentationLutShapeInverseOfMonochrome1InvertsOnce() throws Exception {
        DataSet ds = mr();
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME1");
        ds.setString(Tag.PresentationLUTShape, VR.CS, "INVERSE");
        assertRendersAsDcmtk(write(ds), new Window(600, 1600, null), "+Ww 600 1600", work);
    }

    @Test
    void linearExactWindowFollowsItsFormula() throws Exception {
        // C.11.2.1.3.2 (dcmj2pnm has no LINEAR_EXACT): y = ((x - c) / w + 0.5) * 255, 0 at or below c - w/2, 255 above c + w/2
        int[] stored = {-10, 0, 50, 100, 150, 200, 201, 400};
        byte[] pixels = words(stored);
        ImagePixel p = new ImagePixel(1, stored.length, 1, 16, 16, 1, 0, "MONOCHROME2", 1);
        BufferedImage img = FrameRenderer.render(new DecodedFrame(pixels, p), new DataSet(), 1, new Window(100, 200, "LINEAR_EXACT"), null);
        int[] expected = {0, 0, 64, 128, 191, 255, 255, 255};
        for (int i = 0; i < stored.length; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(expected[i], img.getRaster().getSample(i, 0, 0), "stored value " + stored[i]);
        }
    }

    @Test
    void paletteWithInline16BitTables() throws Exception {
        DataSet ds = paletteImage();
        int[][] tables = new int[3][256];
        for (int i = 0; i < 256; i++) {
            tables[0][i] = i * 257;
            tables[1][i] = (int) Math.round(65535 * Math.sin(Math.PI * i / 255));
            tables[2][i] = (255 - i) * 257;
        }
        for (int c = 0; c < 3; c++) {
            ds.setInt(Tag.RedPaletteColorLookupTableDescriptor + c, VR.US, 256, 0, 16);
            ds.put(new ValueElement(Tag.RedPaletteColorLookupTableData + c, VR.OW, words(tables[c])));
        }
        assertRendersAsDcmtk(write(ds), null, null, work);
    }

    @Test
    void paletteWithSegmentedTables() throws Exception {
        DataSet ds = paletteImage();
        int[][] segments = {
                {0, 1, 0, 1, 255, 65535},                          // discrete 0, then linear up to 65535
                {0, 3, 0, 20000, 40000, 1, 125, 0, 1, 125, 65535, 2, 1, 0, 0}, // discrete, two linear, one indirect copy
                {0, 1, 65535, 1, 100, 30000, 1, 155, 0},           // linear down in two steps
        };
        for (int c = 0; c < 3; c++) {
            ds.setInt(Tag.RedPaletteColorLookupTableDescriptor + c, VR.US, 256, 0, 16);
            ds.put(new ValueElement(Tag.SegmentedRedPaletteColorLookupTableData + c, VR.OW, words(segments[c])));
        }
        // DCMTK reads no segmented tables and GDCM 3.0's gdcmconv --decompress-lut aborts on them: pydicom expands them
        Path file = write(ds);
        byte[] oracle = pydicomPalette(file);
        BufferedImage ours = FrameRenderer.render(FrameRendererTest.firstFrame(DicomReader.read(Files.readAllBytes(file))), ds, 1, null, null);
        BufferedImage theirs = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        for (int i = 0; i < 64 * 64; i++) {
            for (int c = 0; c < 3; c++) theirs.getRaster().setSample(i % 64, i / 64, c, (oracle[6 * i + 2 * c + 1] & 0xFF)); // high byte of 16
        }
        double psnr = FrameRendererTest.psnr(theirs, ours);
        assertTrue(psnr >= FrameRendererTest.MIN_PSNR, "PSNR " + psnr + " dB against pydicom's apply_color_lut");
    }

    /** pydicom's apply_color_lut on the file's pixels: 16-bit RGB, little endian. */
    private byte[] pydicomPalette(Path file) throws Exception {
        String python = "/usr/bin/python3";
        boolean present = Files.isExecutable(Path.of(python))
                && new ProcessBuilder(python, "-c", "import pydicom, numpy").start().waitFor() == 0;
        if (!present && "true".equals(System.getenv("CI"))) throw new IllegalStateException("pydicom is missing: apt-get install python3-pydicom");
        assumeTrue(present, "pydicom not installed (apt-get install python3-pydicom): oracle test skipped");
        Path out = work.resolve("pydicom.rgb");
        Process p = new ProcessBuilder(python, "-c", """
                import sys, pydicom
                from pydicom.pixel_data_handlers.util import apply_color_lut
                ds = pydicom.dcmread(sys.argv[1])
                apply_color_lut(ds.pixel_array, ds).astype('<u2').tofile(sys.argv[2])
                """, file.toString(), out.toString()).redirectErrorStream(true).redirectOutput(work.resolve("pydicom.log").toFile()).start();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        org.junit.jupiter.api.Assertions.assertEquals(0, p.exitValue(), Files.readString(work.resolve("pydicom.log")));
        return Files.readAllBytes(out);
    }

    @Test
    void segmentedTablesThatPointOutsideTheirDataAreRefused() {
        DataSet ds = paletteImage();
        for (int c = 0; c < 3; c++) {
            ds.setInt(Tag.RedPaletteColorLookupTableDescriptor + c, VR.US, 256, 0, 16);
            ds.put(new ValueElement(Tag.SegmentedRedPaletteColorLookupTableData + c, VR.OW, words(new int[] {0, 1, 7, 2, 1, 0xFFFF, 0x7FFF})));
        }
        DecodedFrame frame = new DecodedFrame(new byte[2 * 64 * 64], ImagePixel.of(ds));
        assertThrows(PixelDataException.class, () -> FrameRenderer.render(frame, ds, 1, null, null));
    }

    /** MR_small (signed 16-bit, values 0 to 4000) without its window. */
    private static DataSet mr() throws Exception {
        DataSet ds = read("MR_small.dcm");
        ds.remove(Tag.WindowCenter);
        ds.remove(Tag.WindowWidth);
        return ds;
    }

    /** MR_small's pixels as a PALETTE COLOR image of 8 bits in 16 (stored value = MR value / 16; GDCM expands no 16-bit segments for 8-bit pixels). */
    private static DataSet paletteImage() {
        try {
            DataSet ds = read("MR_small.dcm");
            byte[] mr = ds.getBytes(Tag.PixelData), eight = new byte[2 * 64 * 64];
            for (int i = 0; i < 64 * 64; i++) eight[2 * i] = (byte) (((mr[2 * i] & 0xFF) | mr[2 * i + 1] << 8) / 16);
            ds.setString(Tag.PhotometricInterpretation, VR.CS, "PALETTE COLOR");
            ds.setInt(Tag.BitsStored, VR.US, 8);
            ds.setInt(Tag.HighBit, VR.US, 7);
            ds.setInt(Tag.PixelRepresentation, VR.US, 0);
            for (int tag : new int[] {Tag.SmallestImagePixelValue, Tag.LargestImagePixelValue, Tag.WindowCenter, Tag.WindowWidth}) ds.remove(tag);
            ds.put(new ValueElement(Tag.PixelData, VR.OW, eight));
            return ds;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static DataSet read(String name) throws Exception {
        return DicomReader.read(Files.readAllBytes(TestFiles.file(name))).dataSet();
    }

    private static DataSet lut(int entries, int first, int bits, byte[] data, VR dataVr, int labelTag, String label) {
        DataSet item = new DataSet();
        item.setInt(Tag.LUTDescriptor, VR.US, entries, first, bits);
        item.setString(labelTag, labelTag == Tag.ModalityLUTType ? VR.LO : VR.LO, label);
        item.put(new ValueElement(Tag.LUTData, dataVr, data));
        return item;
    }

    private static byte[] words(int[] values) {
        byte[] b = new byte[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            b[2 * i] = (byte) values[i];
            b[2 * i + 1] = (byte) (values[i] >> 8);
        }
        return b;
    }

    private Path write(DataSet ds) throws Exception {
        Path file = Files.createTempFile(work, "derived", ".dcm");
        try (OutputStream out = Files.newOutputStream(file)) {
            DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
        }
        return file;
    }
}
