package dev.stratus.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class DicomReaderTest {
    /**
     * Found by the STOW fuzzer (app StowFuzzTest): an object whose element at Pixel Data has a VR of a later
     * edition was stored, but reading its header stopped there with a null VR, and its metadata answered 500.
     */
    @Test
    void aVrOfALaterEditionWhereReadingStopsIsUnLikeAnywhereElse() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(DicomWriter.encode(sop(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        // (7FE0,0010) with VR "ZZ": a 32-bit length after two reserved bytes (PS3.5 6.2), then 4 bytes
        out.writeBytes(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'Z', 'Z', 0, 0, 4, 0, 0, 0, 1, 2, 3, 4});
        byte[] data = out.toByteArray();
        BulkDataElement stopped = assertInstanceOf(BulkDataElement.class,
                new DicomReader(data).readFile(ReadOptions.HEADER).dataSet().get(Tag.PixelData));
        assertEquals(VR.UN, stopped.vr());
        assertEquals(4, stopped.length());
        Element read = new DicomReader(data).readFile(ReadOptions.ALL).dataSet().get(Tag.PixelData);
        assertEquals(VR.UN, read.vr());
    }

    /**
     * Real RT Dose files of a widely used toolkit: the meta header says Explicit VR Little Endian (or a compressed
     * syntax), the data set is Implicit VR. The reader follows the data, and the VRs then come from the dictionary,
     * so that names, dates and UIDs are read as such (not UN).
     */
    @Test
    void aDataSetInImplicitVrUnderAnExplicitHeaderGetsItsVrsFromTheDictionary() throws Exception {
        DataSet ds = sop();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.481.2");
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3.4");
        ds.setString(Tag.StudyDate, VR.DA, "20240102");
        ds.setString(Tag.PatientName, VR.PN, "Dose^Rt");
        DataSet item = new DataSet();
        item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.9");
        ds.put(new SequenceElement(Tag.ReferencedRTPlanSequence, VR.SQ, java.util.List.of(item)));
        for (TransferSyntax said : new TransferSyntax[] {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.of("1.2.840.10008.1.2.4.50")}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DicomWriter w = new DicomWriter(out, null);
            w.writePreambleAndMeta(DicomWriter.fileMetaFor(ds, said, null));
            w.writeDataSet(ds, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
            w.flush();
            byte[] file = out.toByteArray();
            for (DataSet read : new DataSet[] {new DicomReader(file).readFile(ReadOptions.ALL).dataSet(),
                    new DicomReader(new java.io.ByteArrayInputStream(file), file.length).readFile(ReadOptions.HEADER).dataSet(),
                    new DicomReader(new java.io.ByteArrayInputStream(file), -1).readFile(ReadOptions.HEADER).dataSet()}) {
            assertEquals(VR.PN, read.get(Tag.PatientName).vr(), said.uid());
            assertEquals("Dose^Rt", read.getString(Tag.PatientName));
            assertEquals(VR.DA, read.get(Tag.StudyDate).vr());
            assertEquals("1.2.3.4", read.getString(Tag.StudyInstanceUID));
            assertEquals(VR.SQ, read.get(Tag.ReferencedRTPlanSequence).vr());
            assertEquals("1.2.3.9", read.getItems(Tag.ReferencedRTPlanSequence).getFirst().getString(Tag.ReferencedSOPInstanceUID));
            }
        }
    }

    /** A writer that marked a private creator UN (explicit VR) still gives an LO, which names its private block. */
    @Test
    void aPrivateCreatorWrittenAsUnIsReadAsLo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(DicomWriter.encode(sop(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        // (0029,0010) UN, 32-bit length 8: "SIEMENS " — then (0029,1008) UN of 2 bytes, which stays UN (no dictionary for it)
        out.writeBytes(new byte[] {0x29, 0x00, 0x10, 0x00, 'U', 'N', 0, 0, 8, 0, 0, 0, 'S', 'I', 'E', 'M', 'E', 'N', 'S', ' '});
        out.writeBytes(new byte[] {0x29, 0x00, 0x08, 0x10, 'U', 'N', 0, 0, 2, 0, 0, 0, 'A', 'B'});
        DataSet read = new DicomReader(out.toByteArray()).readFile(ReadOptions.ALL).dataSet();
        assertEquals(VR.LO, read.get(0x00290010).vr());
        assertEquals("SIEMENS", read.getString(0x00290010));
        assertEquals(VR.UN, read.get(0x00291008).vr());
    }

    private static DataSet sop() {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
        return ds;
    }
}
