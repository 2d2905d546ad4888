package dev.stratus.loadtest;

import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.codec.Values;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic test objects for the load test's corpus ({@link Corpus}) and the JMH benchmarks (module bench):
 * a CT image as a modern scanner writes it (patient, study, series, equipment, frame of reference, CT image,
 * image plane, image pixel, VOI LUT and SOP common modules, a handful of sequences and a private block) and a
 * large, deeply nested Comprehensive SR.
 * Same bytes on every call, so the runner can compute MB/s from the sizes without a shared file.
 */
public final class Samples {
    private Samples() {}

    public static final int ROWS = 512, COLUMNS = 512;
    public static final int PIXEL_BYTES = ROWS * COLUMNS * 2;

    private static final String ROOT = "1.2.826.0.1.3680043.10.1234.";
    private static final String STUDY_UID = ROOT + "1.20240312.1";
    private static final String SERIES_UID = STUDY_UID + ".3";
    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    private static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";

    /** The CT image's header attributes, everything but Pixel Data (what the writer benchmark writes). */
    public static DataSet ctHeader() {
        DataSet ds = new DataSet(160);
        // SOP Common
        put(ds, "SpecificCharacterSet", "ISO_IR 100");
        put(ds, "ImageType", "ORIGINAL", "PRIMARY", "AXIAL", "CT_SOM5 SPI");
        put(ds, "InstanceCreationDate", "20240312");
        put(ds, "InstanceCreationTime", "101532.118000");
        put(ds, "SOPClassUID", CT_IMAGE_STORAGE);
        put(ds, "SOPInstanceUID", SERIES_UID + ".57");
        put(ds, "TimezoneOffsetFromUTC", "+0100");
        put(ds, "InstanceNumber", "57");
        // General Study / Patient Study
        put(ds, "StudyDate", "20240312");
        put(ds, "StudyTime", "100851.906000");
        put(ds, "AccessionNumber", "ACC20240312-0042");
        put(ds, "ReferringPhysicianName", "WEBER^KLAUS^^DR.");
        put(ds, "StudyDescription", "CT THORAX ABDOMEN BECKEN MIT KM");
        put(ds, "StudyInstanceUID", STUDY_UID);
        put(ds, "StudyID", "48213");
        put(ds, "ProcedureCodeSequence", List.of(code("RPID1057", "L", "CT CHEST ABDOMEN PELVIS W CONTRAST")));
        put(ds, "AdmittingDiagnosesDescription", "V.a. Pneumonie");
        put(ds, "PatientAge", "067Y");
        put(ds, "PatientSize", "1.78");
        put(ds, "PatientWeight", "82");
        put(ds, "RequestAttributesSequence", List.of(item(
                "RequestedProcedureID", "RP48213",
                "ScheduledProcedureStepID", "SPS48213-1",
                "ScheduledProcedureStepDescription", "CT THORAX ABDOMEN",
                "RequestedProcedureDescription", "CT Thorax/Abdomen/Becken mit KM")));
        put(ds, "PerformedProcedureStepStartDate", "20240312");
        put(ds, "PerformedProcedureStepStartTime", "100851.906000");
        put(ds, "PerformedProcedureStepID", "PPS48213");
        put(ds, "PerformedProcedureStepDescription", "CT Thorax Abdomen Becken");
        put(ds, "ReferencedPerformedProcedureStepSequence", List.of(item(
                "ReferencedSOPClassUID", "1.2.840.10008.3.1.2.3.3",
                "ReferencedSOPInstanceUID", ROOT + "2.20240312.48213")));
        // Patient
        put(ds, "PatientName", "M\u00dcLLER^HANS^PETER");
        put(ds, "PatientID", "PID0048213");
        put(ds, "IssuerOfPatientID", "HOSPITAL_A");
        put(ds, "PatientBirthDate", "19570214");
        put(ds, "PatientSex", "M");
        put(ds, "OtherPatientIDs", "OLD-77123");
        put(ds, "EthnicGroup", "");
        put(ds, "PatientComments", "Allergie: keine bekannt");
        put(ds, "PatientIdentityRemoved", "NO");
        // General Series
        put(ds, "SeriesDate", "20240312");
        put(ds, "SeriesTime", "101211.437000");
        put(ds, "Modality", "CT");
        put(ds, "SeriesDescription", "Thorax 1.0 Br40 3 KM");
        put(ds, "PerformingPhysicianName", "SCHMIDT^ANNA");
        put(ds, "OperatorsName", "MTRA^LISA");
        put(ds, "BodyPartExamined", "CHEST");
        put(ds, "ProtocolName", "ThoraxAbdomenRoutine 1.0 Br40");
        put(ds, "PatientPosition", "FFS");
        put(ds, "SeriesInstanceUID", SERIES_UID);
        put(ds, "SeriesNumber", "3");
        put(ds, "AnatomicRegionSequence", List.of(code("T-D3000", "SRT", "Chest")));
        // General Equipment / CT equipment
        put(ds, "Manufacturer", "SIEMENS");
        put(ds, "InstitutionName", "Klinikum Musterstadt");
        put(ds, "InstitutionAddress", "Hauptstrasse 1^^Musterstadt^^12345^DE");
        put(ds, "StationName", "CTAWP71234");
        put(ds, "InstitutionalDepartmentName", "Radiologie");
        put(ds, "ManufacturerModelName", "SOMATOM Definition AS+");
        put(ds, "DeviceSerialNumber", "71234");
        put(ds, "SoftwareVersions", "syngo CT VA48A");
        put(ds, "DateOfLastCalibration", "20240311");
        put(ds, "TimeOfLastCalibration", "063012.000000");
        // General Acquisition / General Image
        put(ds, "AcquisitionDate", "20240312");
        put(ds, "AcquisitionTime", "101258.112345");
        put(ds, "ContentDate", "20240312");
        put(ds, "ContentTime", "101258.112345");
        put(ds, "AcquisitionNumber", "2");
        put(ds, "IrradiationEventUID", ROOT + "3.20240312.2");
        put(ds, "ImagesInAcquisition", "412");
        put(ds, "ImageComments", "Venoese Phase");
        put(ds, "LossyImageCompression", "00");
        put(ds, "ReferencedImageSequence", List.of(
                item("ReferencedSOPClassUID", CT_IMAGE_STORAGE, "ReferencedSOPInstanceUID", STUDY_UID + ".1.1"),
                item("ReferencedSOPClassUID", CT_IMAGE_STORAGE, "ReferencedSOPInstanceUID", STUDY_UID + ".1.2"),
                item("ReferencedSOPClassUID", CT_IMAGE_STORAGE, "ReferencedSOPInstanceUID", STUDY_UID + ".1.3")));
        put(ds, "SourceImageSequence", List.of(
                item("ReferencedSOPClassUID", CT_IMAGE_STORAGE, "ReferencedSOPInstanceUID", SERIES_UID + ".raw.57")));
        put(ds, "DerivationDescription", "");
        // Contrast/Bolus
        put(ds, "ContrastBolusAgent", "Imeron 350");
        put(ds, "ContrastBolusRoute", "IV");
        put(ds, "ContrastBolusVolume", "90");
        put(ds, "ContrastBolusStartTime", "101130.000000");
        put(ds, "ContrastBolusTotalDose", "31.5");
        put(ds, "ContrastFlowRate", "3.5");
        put(ds, "ContrastFlowDuration", "25.7");
        put(ds, "ContrastBolusIngredient", "IODINE");
        put(ds, "ContrastBolusIngredientConcentration", "350");
        // CT Image
        put(ds, "ScanOptions", "HELICAL_CT");
        put(ds, "SliceThickness", "1");
        put(ds, "KVP", "120");
        put(ds, "DataCollectionDiameter", "500");
        put(ds, "ReconstructionDiameter", "380");
        put(ds, "DistanceSourceToDetector", "1085.6");
        put(ds, "DistanceSourceToPatient", "595");
        put(ds, "GantryDetectorTilt", "0");
        put(ds, "TableHeight", "153");
        put(ds, "RotationDirection", "CW");
        put(ds, "ExposureTime", "500");
        put(ds, "XRayTubeCurrent", "212");
        put(ds, "Exposure", "142");
        put(ds, "FilterType", "FLAT");
        put(ds, "GeneratorPower", "26");
        put(ds, "FocalSpots", "1.2");
        put(ds, "ConvolutionKernel", "B40f");
        put(ds, "RevolutionTime", 0.5);
        put(ds, "SingleCollimationWidth", 0.6);
        put(ds, "TotalCollimationWidth", 38.4);
        put(ds, "TableSpeed", 46.0);
        put(ds, "TableFeedPerRotation", 23.0);
        put(ds, "SpiralPitchFactor", 0.6);
        put(ds, "DataCollectionCenterPatient", 0.5, -153.0, -612.25);
        put(ds, "ReconstructionTargetCenterPatient", 1.2, -160.5, -612.25);
        put(ds, "ExposureModulationType", "XYZ_EC");
        put(ds, "CTDIvol", 9.87);
        put(ds, "CTDIPhantomTypeCodeSequence", List.of(code("113691", "DCM", "IEC Body Dosimetry Phantom")));
        put(ds, "EstimatedDoseSaving", 31.2);
        // Frame of Reference / Image Plane
        put(ds, "FrameOfReferenceUID", STUDY_UID + ".4");
        put(ds, "PositionReferenceIndicator", "");
        put(ds, "ImagePositionPatient", "-189.6289062", "-342.6289062", "-612.25");
        put(ds, "ImageOrientationPatient", "1", "0", "0", "0", "1", "0");
        put(ds, "SliceLocation", "-612.25");
        put(ds, "PixelSpacing", "0.7421875", "0.7421875");
        // Image Pixel
        put(ds, "SamplesPerPixel", 1);
        put(ds, "PhotometricInterpretation", "MONOCHROME2");
        put(ds, "Rows", ROWS);
        put(ds, "Columns", COLUMNS);
        put(ds, "BitsAllocated", 16);
        put(ds, "BitsStored", 12);
        put(ds, "HighBit", 11);
        put(ds, "PixelRepresentation", 0);
        put(ds, "SmallestImagePixelValue", 0);
        put(ds, "LargestImagePixelValue", 4095);
        // VOI LUT / Modality LUT
        put(ds, "WindowCenter", "40", "-600");
        put(ds, "WindowWidth", "400", "1200");
        put(ds, "WindowCenterWidthExplanation", "WINDOW1", "WINDOW2");
        put(ds, "RescaleIntercept", "-1024");
        put(ds, "RescaleSlope", "1");
        put(ds, "RescaleType", "HU");
        // A vendor's private block, as every real CT has (creator plus a few elements).
        privateBlock(ds);
        return ds;
    }

    /** The whole CT image: {@link #ctHeader()} plus 512x512 16-bit pixels. */
    public static DataSet ct() {
        DataSet ds = ctHeader();
        byte[] pixels = new byte[PIXEL_BYTES];
        // A smooth pattern rather than zeros, so nothing downstream can shortcut an all-zero buffer.
        for (int i = 0, p = 0; i < ROWS * COLUMNS; i++, p += 2) {
            int v = ((i % COLUMNS) * 7 + (i / COLUMNS) * 3) & 0x0FFF;
            pixels[p] = (byte) v;
            pixels[p + 1] = (byte) (v >> 8);
        }
        ds.put(new ValueElement(Tag.PixelData, VR.OW, pixels));
        return ds;
    }

    /** A Part 10 file (preamble, meta header, data set) of {@code ds} in {@code ts}. */
    public static byte[] file(DataSet ds, TransferSyntax ts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ds.contains(Tag.PixelData) ? PIXEL_BYTES + 16384 : 1 << 16);
        try {
            DicomWriter.writeFile(out, ds, ts, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Number of attributes in a data set, sequence items' attributes included (sequences count once each). */
    public static int countAttributes(DataSet ds) {
        int n = 0;
        for (var e : ds) {
            n++;
            if (e instanceof dev.stratus.codec.SequenceElement sq) for (DataSet item : sq.items()) n += countAttributes(item);
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------------
    // Structured report

    /** Levels of containers below the root in {@link #structuredReport()}. */
    public static final int SR_DEPTH = 6;

    /**
     * A Comprehensive SR whose content tree is {@value #SR_DEPTH} containers deep: every container holds
     * four leaves (TEXT, CODE, NUM, TEXT with a paragraph) and, above the last level, three sub-containers;
     * the last level's containers hold eight leaves. That is 8,381 content items, about 2.8 MB.
     */
    public static DataSet structuredReport() {
        DataSet ds = new DataSet(64);
        put(ds, "SpecificCharacterSet", "ISO_IR 192");
        put(ds, "InstanceCreationDate", "20240312");
        put(ds, "InstanceCreationTime", "113000");
        put(ds, "SOPClassUID", COMPREHENSIVE_SR);
        put(ds, "SOPInstanceUID", STUDY_UID + ".9.1");
        put(ds, "StudyDate", "20240312");
        put(ds, "ContentDate", "20240312");
        put(ds, "StudyTime", "100851");
        put(ds, "ContentTime", "113000");
        put(ds, "AccessionNumber", "ACC20240312-0042");
        put(ds, "Modality", "SR");
        put(ds, "Manufacturer", "Stratus");
        put(ds, "ReferringPhysicianName", "WEBER^KLAUS^^DR.");
        put(ds, "SeriesDescription", "CAD findings");
        put(ds, "PatientName", "M\u00dcLLER^HANS^PETER");
        put(ds, "PatientID", "PID0048213");
        put(ds, "PatientBirthDate", "19570214");
        put(ds, "PatientSex", "M");
        put(ds, "StudyInstanceUID", STUDY_UID);
        put(ds, "SeriesInstanceUID", STUDY_UID + ".9");
        put(ds, "StudyID", "48213");
        put(ds, "SeriesNumber", "900");
        put(ds, "InstanceNumber", "1");
        put(ds, "CompletionFlag", "COMPLETE");
        put(ds, "VerificationFlag", "UNVERIFIED");
        put(ds, "ContentTemplateSequence", List.of(item("MappingResource", "DCMR", "TemplateIdentifier", "1500")));
        // The root content item's own attributes sit in the data set itself.
        put(ds, "ValueType", "CONTAINER");
        put(ds, "ConceptNameCodeSequence", List.of(code("126000", "DCM", "Imaging Measurement Report")));
        put(ds, "ContinuityOfContent", "SEPARATE");
        int[] counter = {0};
        put(ds, "ContentSequence", children(0, counter));
        return ds;
    }

    /** Content items in {@link #structuredReport()}, the root included. */
    public static int countContentItems(DataSet ds) {
        int n = 1;
        for (DataSet child : ds.getItems(DataDictionary.tagOf("ContentSequence"))) n += countContentItems(child);
        return n;
    }

    private static List<DataSet> children(int depth, int[] counter) {
        List<DataSet> items = new ArrayList<>();
        int leaves = depth == SR_DEPTH ? 8 : 4;
        for (int i = 0; i < leaves; i++) items.add(leaf(i, depth, counter));
        if (depth < SR_DEPTH) {
            for (int i = 0; i < 3; i++) {
                int n = ++counter[0];
                DataSet c = new DataSet(8);
                put(c, "RelationshipType", "CONTAINS");
                put(c, "ValueType", "CONTAINER");
                put(c, "ConceptNameCodeSequence", List.of(code("125007", "DCM", "Measurement Group " + n)));
                put(c, "ContinuityOfContent", "SEPARATE");
                put(c, "ContentSequence", children(depth + 1, counter));
                items.add(c);
            }
        }
        return items;
    }

    private static final String PARAGRAPH = "Im Unterlappen rechts dorsal eine 12 mm messende, glatt begrenzte "
            + "Rundherdstruktur ohne Verkalkung; im Verlauf zur Voruntersuchung gr\u00f6\u00dfenkonstant. "
            + "Keine pathologisch vergr\u00f6\u00dferten Lymphknoten mediastinal oder hili\u00e4r. ";

    private static DataSet leaf(int i, int depth, int[] counter) {
        int n = ++counter[0];
        DataSet c = new DataSet(8);
        put(c, "RelationshipType", depth == 0 && i == 0 ? "HAS OBS CONTEXT" : "CONTAINS");
        switch (i % 4) {
            case 0 -> {
                put(c, "ValueType", "TEXT");
                put(c, "ConceptNameCodeSequence", List.of(code("121071", "DCM", "Finding")));
                put(c, "TextValue", "Finding " + n + ": nodule, solid, smooth margin");
            }
            case 1 -> {
                put(c, "ValueType", "CODE");
                put(c, "ConceptNameCodeSequence", List.of(code("121071", "DCM", "Finding")));
                put(c, "ConceptCodeSequence", List.of(code("27925004", "SCT", "Nodule")));
            }
            case 2 -> {
                put(c, "ValueType", "NUM");
                put(c, "ConceptNameCodeSequence", List.of(code("410668003", "SCT", "Length")));
                DataSet mv = new DataSet(4);
                put(mv, "MeasurementUnitsCodeSequence", List.of(code("mm", "UCUM", "millimeter")));
                put(mv, "NumericValue", Integer.toString(5 + n % 40) + "." + (n % 10));
                put(c, "MeasuredValueSequence", List.of(mv));
            }
            default -> {
                put(c, "ValueType", "TEXT");
                put(c, "ConceptNameCodeSequence", List.of(code("121073", "DCM", "Impression")));
                // Items get their parent's (0008,0005) only once in a sequence: encode as UTF-8 here.
                byte[] utf8 = PARAGRAPH.repeat(1 + n % 5).strip().getBytes(StandardCharsets.UTF_8);
                c.put(new ValueElement(tag("TextValue"), VR.UT, Values.padded(utf8, VR.UT)));
            }
        }
        return c;
    }

    // ------------------------------------------------------------------------------------------------
    // Builders by keyword, VR from the dictionary

    private static DataSet code(String value, String scheme, String meaning) {
        return item("CodeValue", value, "CodingSchemeDesignator", scheme, "CodeMeaning", meaning);
    }

    private static DataSet item(String... keywordValuePairs) {
        DataSet ds = new DataSet(8);
        for (int i = 0; i < keywordValuePairs.length; i += 2) put(ds, keywordValuePairs[i], keywordValuePairs[i + 1]);
        return ds;
    }

    private static int tag(String keyword) {
        int tag = DataDictionary.tagOf(keyword);
        if (tag == -1) throw new IllegalArgumentException("not in the dictionary: " + keyword);
        return tag;
    }

    private static void put(DataSet ds, String keyword, String... values) {
        int tag = tag(keyword);
        VR vr = DataDictionary.entry(tag).vr();
        if (!vr.isString()) throw new IllegalArgumentException(keyword + " is " + vr + ", not a string");
        ds.setString(tag, vr, values);
    }

    private static void put(DataSet ds, String keyword, int... values) {
        int tag = tag(keyword);
        ds.setInt(tag, DataDictionary.entry(tag).vr(), values);
    }

    private static void put(DataSet ds, String keyword, double... values) {
        int tag = tag(keyword);
        VR vr = DataDictionary.entry(tag).vr();
        ByteBuffer b = ByteBuffer.allocate(values.length * vr.bytesPerNumber()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (vr == VR.FD) b.putDouble(v);
            else if (vr == VR.FL) b.putFloat((float) v);
            else throw new IllegalArgumentException(keyword + " is " + vr + ", not FL/FD");
        }
        ds.put(new ValueElement(tag, vr, b.array()));
    }

    private static void put(DataSet ds, String keyword, List<DataSet> items) {
        ds.setSequence(tag(keyword), items);
    }

    private static void privateBlock(DataSet ds) {
        ds.setString(0x00190010, VR.LO, "SIEMENS CT VA1 DUMMY");
        ds.setString(0x00191090, VR.SH, "STD");
        ds.setString(0x00191092, VR.DS, "512");
        ds.setString(0x00191093, VR.DS, "1.875");
        ds.put(new ValueElement(0x00191094, VR.SL, new byte[] {1, 0, 0, 0}));
        ds.setString(0x00290010, VR.LO, "SIEMENS CSA HEADER");
        ds.setString(0x00290011, VR.LO, "SIEMENS MEDCOM HEADER2");
        ds.setString(0x00291008, VR.CS, "IMAGE NUM 4");
        ds.setString(0x00291009, VR.LO, "20240312");
        byte[] csa = new byte[1024]; // an opaque vendor blob, as the CSA image header is
        for (int i = 0; i < csa.length; i++) csa[i] = (byte) (i * 31);
        ds.put(new ValueElement(0x00291010, VR.OB, csa));
        ds.setString(0x00291131, VR.LO, "4.0.2");
        ds.setString(0x00291160, VR.LO, "com");
    }
}
