package dev.stratus.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generated CT images with real-looking patient, study and series attributes and native 16×16 pixel data,
 * for the tests of every module that stores or sends objects. Each frame's pixels differ from the others',
 * so a frame served from the wrong offset is noticed.
 */
public final class GeneratedCt {
    private GeneratedCt() {}

    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    public static final int FRAME_SIZE = 16 * 16 * 2;

    public static DataSet ct(String study, String series, String sop, String patientName, String patientId, int instanceNumber) {
        return ct(study, series, sop, patientName, patientId, instanceNumber, 1);
    }

    public static DataSet ct(String study, String series, String sop, String patientName, String patientId, int instanceNumber, int frames) {
        DataSet ds = new DataSet();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, CT_IMAGE_STORAGE);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(0x00080020, VR.DA, "20240315");
        ds.setString(0x00080030, VR.TM, "101500");
        ds.setString(0x00080050, VR.SH, "ACC-" + patientId);
        ds.setString(0x00080060, VR.CS, "CT");
        ds.setString(0x00081030, VR.LO, "CT chest");
        ds.setString(0x0008103E, VR.LO, "Axial 1mm");
        ds.setString(0x00100010, VR.PN, patientName);
        ds.setString(0x00100020, VR.LO, patientId);
        ds.setString(0x00100030, VR.DA, "19700101");
        ds.setString(0x00100040, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.setString(0x00200010, VR.SH, "1");
        ds.setString(0x00200011, VR.IS, "2");
        ds.setString(0x00200013, VR.IS, String.valueOf(instanceNumber));
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(0x00280004, VR.CS, "MONOCHROME2");
        if (frames > 1) ds.setString(Tag.NumberOfFrames, VR.IS, String.valueOf(frames));
        ds.setInt(Tag.Rows, VR.US, 16);
        ds.setInt(Tag.Columns, VR.US, 16);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(0x00280101, VR.US, 12);
        ds.setInt(0x00280102, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[FRAME_SIZE * frames];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 7 + instanceNumber + i / FRAME_SIZE);
        ds.put(new ValueElement(Tag.PixelData, VR.OW, pixels));
        return ds;
    }

    public static byte[] part10(DataSet ds, TransferSyntax ts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, ds, ts, null);
        return out.toByteArray();
    }

    public static void write(Path file, DataSet ds, TransferSyntax ts) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            DicomWriter.writeFile(out, ds, ts, null);
        }
    }
}
