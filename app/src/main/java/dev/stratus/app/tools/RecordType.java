package dev.stratus.app.tools;

import dev.stratus.codec.Tag;

import java.util.List;

/**
 * The Directory Record Type (0004,1430) of the record a DICOMDIR holds below SERIES for an instance, by its SOP class (PS3.3 F.4, Table F.4-1; the SOP classes of
 * PS3.4 Annex B), with the keys PS3.3 F.5 requires of that record type: {@code required} (type 1, a value is needed),
 * {@code present} (type 2, written empty when the instance has none) and {@code conditional} (type 1C, copied when the
 * instance has them, which is when their condition holds).
 */
record RecordType(String name, List<Integer> required, List<Integer> present, List<Integer> conditional) {
    private static final String STORAGE = "1.2.840.10008.5.1.4.1.1.";

    // PS3.3 F.5-18 and those after it
    static final RecordType IMAGE = new RecordType("IMAGE", List.of(Tag.InstanceNumber), List.of(), List.of());
    static final RecordType SR_DOCUMENT = new RecordType("SR DOCUMENT",
            List.of(Tag.InstanceNumber, Tag.CompletionFlag, Tag.VerificationFlag, Tag.ContentDate, Tag.ContentTime, Tag.ConceptNameCodeSequence),
            List.of(), List.of()); // and Verification DateTime, from the Verifying Observer Sequence (DicomDirectory)
    static final RecordType KEY_OBJECT_DOC = new RecordType("KEY OBJECT DOC",
            List.of(Tag.InstanceNumber, Tag.ContentDate, Tag.ContentTime, Tag.ConceptNameCodeSequence), List.of(), List.of());
    static final RecordType PRESENTATION = new RecordType("PRESENTATION",
            List.of(Tag.InstanceNumber, Tag.ContentLabel, Tag.PresentationCreationDate, Tag.PresentationCreationTime),
            List.of(Tag.ContentDescription, Tag.ContentCreatorName), List.of(Tag.ReferencedSeriesSequence, Tag.BlendingSequence));
    static final RecordType WAVEFORM = new RecordType("WAVEFORM",
            List.of(Tag.InstanceNumber, Tag.ContentDate, Tag.ContentTime), List.of(), List.of());
    static final RecordType RT_DOSE = new RecordType("RT DOSE",
            List.of(Tag.InstanceNumber, Tag.DoseSummationType), List.of(), List.of());
    static final RecordType RT_STRUCTURE_SET = new RecordType("RT STRUCTURE SET",
            List.of(Tag.InstanceNumber, Tag.StructureSetLabel), List.of(Tag.StructureSetDate, Tag.StructureSetTime), List.of());
    static final RecordType RT_PLAN = new RecordType("RT PLAN",
            List.of(Tag.InstanceNumber, Tag.RTPlanLabel), List.of(Tag.RTPlanDate, Tag.RTPlanTime), List.of());
    static final RecordType RT_TREAT_RECORD = new RecordType("RT TREAT RECORD",
            List.of(Tag.InstanceNumber), List.of(Tag.TreatmentDate, Tag.TreatmentTime), List.of());
    static final RecordType SPECTROSCOPY = new RecordType("SPECTROSCOPY",
            List.of(Tag.ImageType, Tag.ContentDate, Tag.ContentTime, Tag.InstanceNumber, Tag.NumberOfFrames, Tag.Rows, Tag.Columns,
                    Tag.DataPointRows, Tag.DataPointColumns), List.of(), List.of(Tag.ReferencedImageEvidenceSequence));
    static final RecordType RAW_DATA = new RecordType("RAW DATA",
            List.of(Tag.ContentDate, Tag.ContentTime, Tag.InstanceNumber), List.of(), List.of());
    static final RecordType ENCAP_DOC = new RecordType("ENCAP DOC",
            List.of(Tag.InstanceNumber, Tag.MIMETypeOfEncapsulatedDocument),
            List.of(Tag.ContentDate, Tag.ContentTime, Tag.DocumentTitle, Tag.ConceptNameCodeSequence), List.of(Tag.HL7InstanceIdentifier));
    static final RecordType MEASUREMENT = new RecordType("MEASUREMENT",
            List.of(Tag.ContentDate, Tag.ContentTime, Tag.InstanceNumber, Tag.ConceptNameCodeSequence), List.of(), List.of());

    /** REGISTRATION, FIDUCIAL, VALUE MAP, SURFACE, SURFACE SCAN, TRACT: a labelled piece of content (F.5-29 and alike). */
    private static RecordType labelled(String name) {
        return new RecordType(name, List.of(Tag.ContentDate, Tag.ContentTime, Tag.InstanceNumber, Tag.ContentLabel),
                List.of(Tag.ContentDescription, Tag.ContentCreatorName), List.of());
    }

    static final RecordType REGISTRATION = labelled("REGISTRATION");
    static final RecordType FIDUCIAL = labelled("FIDUCIAL");
    static final RecordType VALUE_MAP = labelled("VALUE MAP");
    static final RecordType SURFACE = labelled("SURFACE");
    static final RecordType SURFACE_SCAN = labelled("SURFACE SCAN");
    static final RecordType TRACT = labelled("TRACT");

    /** The record type of an instance of {@code sopClassUid}: IMAGE for the image storage classes and any class not named here. */
    static RecordType of(String sopClassUid) {
        if (sopClassUid == null || !sopClassUid.startsWith(STORAGE)) return IMAGE;
        String c = sopClassUid.substring(STORAGE.length());
        if (c.equals("88.59")) return KEY_OBJECT_DOC;
        if (c.startsWith("88.")) return SR_DOCUMENT; // Basic Text, Enhanced, Comprehensive SR, CAD SR, dose reports, procedure log
        if (c.startsWith("11.") || c.equals("131")) return PRESENTATION; // the presentation states, Basic Structured Display
        if (c.startsWith("9.")) return WAVEFORM; // ECG, hemodynamic, audio, EEG, respiratory ...
        if (c.startsWith("104.")) return ENCAP_DOC; // PDF, CDA, STL, OBJ, MTL
        if (c.startsWith("78.") || c.equals("80.1")) return MEASUREMENT; // ophthalmic refraction, axial measurements, visual field
        return switch (c) {
            case "481.2" -> RT_DOSE;
            case "481.3" -> RT_STRUCTURE_SET;
            case "481.5", "481.8" -> RT_PLAN; // RT Plan, RT Ion Plan
            case "481.4", "481.6", "481.7", "481.9" -> RT_TREAT_RECORD; // beams, brachy, summary, ion beams
            case "79.1" -> SR_DOCUMENT; // Macular Grid Thickness and Volume Report
            case "4.2" -> SPECTROSCOPY;
            case "66" -> RAW_DATA;
            case "66.1", "66.3" -> REGISTRATION; // spatial, deformable spatial
            case "66.2" -> FIDUCIAL;
            case "66.5" -> SURFACE;
            case "66.6" -> TRACT;
            case "67" -> VALUE_MAP;
            case "68.1", "68.2" -> SURFACE_SCAN; // mesh, point cloud
            default -> IMAGE;
        };
    }
}
