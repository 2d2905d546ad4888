package dev.stratus.codec;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Read, write, read again gives the same data set: for every readable test file, in every output syntax. */
class RoundTripTest {
    /** Files that are truncated or otherwise not DICOM: the reader must reject them with a reason. */
    static final Set<String> BROKEN = Set.of("MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm");

    @TestFactory
    List<DynamicTest> everyReadableFileSurvivesEveryUncompressedSyntaxAndItsOwn() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : TestFiles.all()) {
            String name = p.getFileName().toString();
            if (BROKEN.contains(name)) continue;
            byte[] data = Files.readAllBytes(p);
            DicomFile original = DicomReader.read(data);
            List<TransferSyntax> targets = new ArrayList<>();
            targets.add(original.transferSyntax());
            if (!original.transferSyntax().encapsulated()) targets.addAll(DicomWriter.uncompressed());
            for (TransferSyntax ts : targets) {
                tests.add(DynamicTest.dynamicTest(name + " as " + ts.name(), () -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    DicomWriter.writeFile(out, original.dataSet(), ts, null);
                    DicomFile again = DicomReader.read(out.toByteArray());
                    assertEquals(ts, again.transferSyntax());
                    assertEquals(ts.uid(), again.fileMeta().getString(Tag.TransferSyntaxUID));
                    assertSame(original.dataSet(), again.dataSet(), !ts.explicitVR(), "");
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> brokenFilesAreRejectedWithOffsetAndReason() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : TestFiles.all()) {
            if (!BROKEN.contains(p.getFileName().toString())) continue;
            tests.add(DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
                try {
                    DicomReader.read(Files.readAllBytes(p));
                    fail("a truncated file was accepted");
                } catch (DicomParseException e) {
                    assertTrue(e.getMessage().contains("offset"), e.getMessage());
                    assertTrue(e.offset() > 0 || e.getMessage().contains("exceeds"), e.getMessage());
                }
            }));
        }
        return tests;
    }

    @Test
    void aTextTooLongForExplicitVrIsWrittenAsUnWhetherReadOrLeftInItsSource() throws Exception {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
        byte[] comments = new byte[70_001]; // an LT's 16-bit length cannot say it in explicit VR (PS3.5 7.1.2)
        Arrays.fill(comments, (byte) 'x');
        ds.put(new ValueElement(Tag.ImageComments, VR.LT, comments));
        ByteArrayOutputStream implicit = new ByteArrayOutputStream();
        DicomWriter.writeFile(implicit, ds, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, null);
        byte[] file = implicit.toByteArray();
        DataSet left = new DicomReader(new java.io.ByteArrayInputStream(file), file.length).readFile(ReadOptions.ALL.textOver(1024)).dataSet();
        assertTrue(left.get(Tag.ImageComments) instanceof BulkDataElement, "left in its source");
        ByteArrayOutputStream fromSource = new ByteArrayOutputStream(), inMemory = new ByteArrayOutputStream();
        DicomWriter.writeFile(fromSource, left, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, BulkDataSource.of(file));
        DicomWriter.writeFile(inMemory, DicomReader.read(file).dataSet(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
        assertArrayEquals(inMemory.toByteArray(), fromSource.toByteArray());
        assertEquals(VR.UN, DicomReader.read(fromSource.toByteArray()).dataSet().get(Tag.ImageComments).vr());
    }

    /** Same tags and values; VRs too unless the copy went through implicit VR, which does not carry them. */
    static void assertSame(DataSet a, DataSet b, boolean implicit, String path) {
        List<Integer> ta = tags(a), tb = tags(b);
        assertEquals(ta.stream().map(Tag::toString).toList(), tb.stream().map(Tag::toString).toList(), "tags at " + path);
        for (int tag : ta) {
            Element x = a.get(tag), y = b.get(tag);
            String where = path + Tag.toString(tag);
            if (!implicit || x instanceof SequenceElement) {
                VR vx = x.vr() == VR.UN && x instanceof SequenceElement && !implicit ? VR.UN : x.vr();
                assertEquals(vx, y.vr(), "VR of " + where);
            }
            switch (x) {
                case ValueElement v -> assertTrue(Arrays.equals(padded(v), ((ValueElement) y).bytes()), "value of " + where);
                case SequenceElement s -> {
                    List<DataSet> items = ((SequenceElement) y).items();
                    assertEquals(s.items().size(), items.size(), "items of " + where);
                    for (int i = 0; i < items.size(); i++) assertSame(s.items().get(i), items.get(i), implicit, where + "[" + i + "]/");
                }
                case FragmentsElement f -> assertEquals(f.fragments(), ((FragmentsElement) y).fragments(), "fragments of " + where);
                case BulkDataElement bulk -> fail("unexpected bulk element " + where);
            }
        }
    }

    private static byte[] padded(ValueElement v) {
        return Values.padded(v.bytes(), v.vr());
    }

    private static List<Integer> tags(DataSet d) {
        List<Integer> r = new ArrayList<>();
        for (Element e : d) if (!Tag.isGroupLength(e.tag()) && Tag.group(e.tag()) != 2) r.add(e.tag());
        return r;
    }
}
