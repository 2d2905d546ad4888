package dev.stratus.web;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Generated DICOM objects: a small CT series with real-looking attributes and native pixel data. */
final class TestObjects {
    private TestObjects() {}

    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    static DataSet ct(String study, String series, String sop, String patientName, String patientId, int instanceNumber, int frames) {
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
        byte[] pixels = new byte[16 * 16 * 2 * frames];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 7 + instanceNumber);
        ds.put(new ValueElement(Tag.PixelData, VR.OW, pixels));
        return ds;
    }

    static byte[] part10(DataSet ds, TransferSyntax ts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, ds, ts, null);
        return out.toByteArray();
    }

    /** A series of n generated instances, as Part 10 files. */
    static List<byte[]> series(String study, String series, int n, String patientName, String patientId) throws IOException {
        List<byte[]> files = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            files.add(part10(ct(study, series, Uids.generate(), patientName, patientId, i, 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        }
        return files;
    }

    /** Splits a multipart/related response into its part bodies. */
    static List<byte[]> parts(String contentType, byte[] body) {
        String boundary = null;
        for (String p : contentType.split(";")) {
            String t = p.strip();
            if (t.toLowerCase().startsWith("boundary=")) boundary = t.substring(9).replace("\"", "");
        }
        if (boundary == null) throw new AssertionError("no boundary in " + contentType);
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        List<byte[]> parts = new ArrayList<>();
        int at = text.indexOf(delimiter);
        while (at >= 0) {
            int next = text.indexOf("\r\n" + delimiter, at + delimiter.length());
            if (next < 0) break;
            int headersEnd = text.indexOf("\r\n\r\n", at);
            parts.add(text.substring(headersEnd + 4, next).getBytes(StandardCharsets.ISO_8859_1));
            at = next + 2;
        }
        return parts;
    }
}
