package dev.stratus.archive.retrieve;

import dev.stratus.archive.Archive;
import dev.stratus.archive.ingest.IngestServiceTest;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.SequenceElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An instance converted among uncompressed syntaxes as a stream is byte for byte what the in-memory encoding writes. */
class ConvertedRetrieveTest {
    static final List<TransferSyntax> UNCOMPRESSED = List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.of("1.2.840.10008.1.2.1.99"));

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CT_small.dcm", "ExplVR_BigEnd.dcm", "MR_small.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm",
            "MR_small_implicit.dcm", "MR_small_padded.dcm", "SC_rgb_small_odd.dcm", "SC_ybr_full_422_uncompressed.dcm", "image_dfl.dcm",
            "liver_1frame.dcm", "liver_expb_1frame.dcm", "rtdose.dcm", "rtdose_expb.dcm", "waveform_ecg.dcm", "SC_rgb_jpeg_dcmd.dcm"})
    void aPydicomFileConvertedToEachUncompressedSyntaxEqualsTheInMemoryEncoding(String name) throws Exception {
        byte[] file = Files.readAllBytes(TestFiles.file(name));
        try (Archive archive = Archive.open(Archive.Settings.in(dir.resolve("archive")))) {
            archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(file), null, "test");
            DataSet ds = DicomReader.read(file).dataSet();
            StoredInstance stored = archive.retrieve().find(TenantId.DEFAULT, ds.getString(Tag.StudyInstanceUID).strip(),
                    ds.getString(Tag.SeriesInstanceUID).strip(), ds.getString(Tag.SOPInstanceUID).strip()).getFirst();
            assertConvertedAsInMemory(archive, stored);
        }
    }

    @Test
    void valuesLargerThanThoseKeptInMemoryAreCopiedFromTheBlobAsTheInMemoryEncodingWritesThem() throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(dir.resolve("archive")))) {
            String study = Uids.generate(), series = Uids.generate();
            for (TransferSyntax source : UNCOMPRESSED.subList(0, 3)) {
                ByteArrayOutputStream file = new ByteArrayOutputStream();
                DicomWriter.writeFile(file, largeValues(study, series, Uids.generate()), source, null);
                archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(file.toByteArray()), null, "test");
            }
            List<StoredInstance> stored = archive.retrieve().find(TenantId.DEFAULT, study, series, null);
            assertEquals(3, stored.size());
            for (StoredInstance inst : stored) assertConvertedAsInMemory(archive, inst);
        }
    }

    @Test
    void dcmtkReadsTheBigEndianAndImplicitConversionsBackToTheStoredValues() throws Exception {
        TranscodeTest.requireTool("dcmconv");
        try (Archive archive = Archive.open(Archive.Settings.in(dir.resolve("archive")))) {
            String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
            DataSet original = largeValues(study, series, sop);
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            DicomWriter.writeFile(file, original, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
            archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(file.toByteArray()), null, "test");
            StoredInstance stored = archive.retrieve().find(TenantId.DEFAULT, study, series, sop).getFirst();
            for (TransferSyntax wanted : List.of(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)) {
                Path served = dir.resolve("served.dcm"), back = dir.resolve("back.dcm");
                try (java.io.OutputStream out = Files.newOutputStream(served)) {
                    archive.retrieve().writeInstance(stored, wanted, out);
                }
                Process p = new ProcessBuilder("dcmconv", "+te", served.toString(), back.toString()).redirectErrorStream(true).start();
                String said = new String(p.getInputStream().readAllBytes());
                assertEquals(0, p.waitFor(), "dcmconv read " + wanted.name() + ": " + said);
                DataSet read = DicomReader.read(Files.readAllBytes(back)).dataSet();
                for (int tag : new int[] {Tag.PixelData, Tag.PointCoordinatesData, 0x00091010, Tag.TextValue}) {
                    byte[] value = ((ValueElement) original.get(tag)).bytes(), again = ((ValueElement) read.get(tag)).bytes();
                    assertEquals(value.length + (value.length & 1), again.length, "padded to even length (PS3.5 7.1.1)");
                    assertArrayEquals(value, Arrays.copyOf(again, value.length), Tag.toString(tag) + " through " + wanted.name() + " and DCMTK");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} as {1}")
    @org.junit.jupiter.params.provider.CsvSource({"SC_rgb_rle_2frame.dcm, 1.2.840.10008.1.2.1", "SC_rgb_rle_16bit.dcm, 1.2.840.10008.1.2",
            "MR_small.dcm, 1.2.840.10008.1.2.5"})
    void aDimseDataSetDecodedOrEncodedIsTheRetrievedFileWithoutItsMetaInformation(String name, String syntax) throws Exception {
        byte[] file = Files.readAllBytes(TestFiles.file(name));
        TransferSyntax wanted = TransferSyntax.of(syntax);
        try (Archive archive = Archive.open(Archive.Settings.in(dir.resolve("archive")))) {
            archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(file), null, "test");
            DataSet ds = DicomReader.read(file).dataSet();
            StoredInstance stored = archive.retrieve().find(TenantId.DEFAULT, ds.getString(Tag.StudyInstanceUID).strip(),
                    ds.getString(Tag.SeriesInstanceUID).strip(), ds.getString(Tag.SOPInstanceUID).strip()).getFirst();
            ByteArrayOutputStream part10 = new ByteArrayOutputStream();
            archive.retrieve().writeInstance(stored, wanted, part10);
            byte[] written = part10.toByteArray();
            int start = (int) DicomReader.read(written).dataSetOffset();
            try (InputStream dataSet = archive.retrieve().openDataSet(stored, wanted)) {
                assertArrayEquals(Arrays.copyOfRange(written, start, written.length), dataSet.readAllBytes());
            }
        }
    }

    /** Pixel data, a float value and an odd-length private value over the in-memory limit; a nested one; long texts. */
    static DataSet largeValues(String study, String series, String sop) throws Exception {
        int big = (int) ConvertedDataSet.IN_MEMORY + 4099;
        DataSet ds = DicomReader.read(IngestServiceTest.instance(study, series, sop, "Large^Values")).dataSet();
        GreyPixels.describe(ds, 1024, 1024);
        ds.put(new ValueElement(Tag.PixelData, VR.OW, ramp(1024 * 1024 * 2)));
        ds.put(new ValueElement(Tag.PointCoordinatesData, VR.OF, ramp(big + 1)));
        ds.setString(0x00090010, VR.LO, "STRATUS TEST");
        ds.put(new ValueElement(0x00091010, VR.OB, ramp(big)));
        DataSet waveform = new DataSet();
        waveform.setInt(Tag.WaveformBitsAllocated, VR.US, 16);
        waveform.put(new ValueElement(Tag.WaveformData, VR.OW, ramp(big + 1)));
        ds.put(new SequenceElement(Tag.WaveformSequence, VR.SQ, List.of(waveform)));
        ds.put(new ValueElement(Tag.TextValue, VR.UT, text(big)));
        ds.put(new ValueElement(Tag.ImageComments, VR.LT, text(70_001))); // longer than an explicit VR LT can say: written as UN
        return ds;
    }

    static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + (i >>> 8));
        return b;
    }

    private static byte[] text(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    /** Each other uncompressed syntax, through writeInstance and openDataSet, against the codec's in-memory writer. */
    private static void assertConvertedAsInMemory(Archive archive, StoredInstance stored) throws Exception {
        byte[] blob;
        try (InputStream in = archive.retrieve().open(stored)) {
            blob = in.readAllBytes();
        }
        DataSet whole = DicomReader.read(blob).dataSet();
        int converted = 0;
        for (TransferSyntax wanted : UNCOMPRESSED) {
            if (wanted.uid().equals(stored.transferSyntaxUid())) continue;
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            DicomWriter.writeFile(expected, whole, wanted, null);
            ByteArrayOutputStream served = new ByteArrayOutputStream();
            archive.retrieve().writeInstance(stored, wanted, served);
            assertArrayEquals(expected.toByteArray(), served.toByteArray(), "writeInstance as " + wanted.name());
            try (InputStream dataSet = archive.retrieve().openDataSet(stored, wanted)) {
                assertArrayEquals(DicomWriter.encode(whole, wanted), dataSet.readAllBytes(), "openDataSet as " + wanted.name());
            }
            converted++;
        }
        assertTrue(converted >= 3, "converted to every other uncompressed syntax");
    }
}
