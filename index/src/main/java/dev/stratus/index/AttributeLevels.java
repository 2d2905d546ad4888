package dev.stratus.index;

import dev.stratus.codec.DataDictionary;
import dev.stratus.index.query.Level;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which attributes of an instance's header belong to its study, its series or itself (the Study Root
 * model of PS3.4 C.6.2), and the attributes QIDO-RS returns by default at each level (PS3.18 Tables
 * 10.6.3-3, -4 and -5, without Retrieve URL, which the web layer adds).
 */
public final class AttributeLevels {
    private AttributeLevels() {}

    /** Patient and study attributes (Patient, Patient Study and General Study modules), kept per study. */
    public static final Set<Integer> STUDY = tags(
            "PatientName", "PatientID", "IssuerOfPatientID", "IssuerOfPatientIDQualifiersSequence", "TypeOfPatientID",
            "PatientBirthDate", "PatientBirthTime", "PatientSex", "OtherPatientIDsSequence", "OtherPatientNames",
            "PatientBirthName", "PatientMotherBirthName", "PatientAge", "PatientSize", "PatientWeight", "EthnicGroup",
            "Occupation", "AdditionalPatientHistory", "PatientComments", "PatientSpeciesDescription",
            "PatientBreedDescription", "ResponsiblePerson", "ResponsibleOrganization", "PatientIdentityRemoved",
            "DeidentificationMethod", "StudyDate", "StudyTime", "AccessionNumber", "IssuerOfAccessionNumberSequence",
            "ReferringPhysicianName", "StudyDescription", "ProcedureCodeSequence", "NameOfPhysiciansReadingStudy",
            "PhysiciansOfRecord", "AdmittingDiagnosesDescription", "ReferencedStudySequence", "StudyInstanceUID",
            "StudyID", "TimezoneOffsetFromUTC");

    /** General Series and General Equipment attributes, kept per series. */
    public static final Set<Integer> SERIES = tags(
            "Modality", "SeriesInstanceUID", "SeriesNumber", "SeriesDescription", "SeriesDescriptionCodeSequence",
            "SeriesDate", "SeriesTime", "Laterality", "BodyPartExamined", "ProtocolName", "OperatorsName",
            "PerformingPhysicianName", "PerformedProcedureStepStartDate", "PerformedProcedureStepStartTime",
            "PerformedProcedureStepID", "PerformedProcedureStepDescription", "RequestAttributesSequence",
            "ReferencedPerformedProcedureStepSequence", "PatientPosition", "AnatomicalOrientationType",
            "SmallestPixelValueInSeries", "LargestPixelValueInSeries", "Manufacturer", "InstitutionName",
            "InstitutionAddress", "InstitutionalDepartmentName", "StationName", "ManufacturerModelName",
            "DeviceSerialNumber", "SoftwareVersions");

    /** Table 10.6.3-3, plus InstanceAvailability which the index always knows (ONLINE). */
    public static final Set<Integer> STUDY_DEFAULTS = tags(
            "StudyDate", "StudyTime", "AccessionNumber", "InstanceAvailability", "ModalitiesInStudy",
            "ReferringPhysicianName", "TimezoneOffsetFromUTC", "PatientName", "PatientID", "PatientBirthDate",
            "PatientSex", "StudyInstanceUID", "StudyID", "NumberOfStudyRelatedSeries", "NumberOfStudyRelatedInstances");

    /** Table 10.6.3-4. */
    public static final Set<Integer> SERIES_DEFAULTS = tags(
            "Modality", "TimezoneOffsetFromUTC", "SeriesDescription", "SeriesInstanceUID", "SeriesNumber",
            "NumberOfSeriesRelatedInstances", "PerformedProcedureStepStartDate", "PerformedProcedureStepStartTime",
            "RequestAttributesSequence");

    /** Table 10.6.3-5. */
    public static final Set<Integer> INSTANCE_DEFAULTS = tags(
            "SOPClassUID", "SOPInstanceUID", "InstanceAvailability", "TimezoneOffsetFromUTC", "InstanceNumber",
            "Rows", "Columns", "BitsAllocated", "NumberOfFrames");

    /** Type R attributes of Tables 10.6.3-3 to -5 copied from headers: returned empty when a header lacks them. */
    public static final Set<Integer> REQUIRED = tags(
            "StudyDate", "StudyTime", "AccessionNumber", "ReferringPhysicianName", "PatientName", "PatientID",
            "PatientBirthDate", "PatientSex", "StudyID", "Modality", "SeriesNumber", "InstanceNumber");

    /** Attributes the index computes rather than copies from a header (PS3.4 Table C.3-1). */
    public static final int MODALITIES_IN_STUDY = tag("ModalitiesInStudy");
    public static final int SOP_CLASSES_IN_STUDY = tag("SOPClassesInStudy");
    public static final int NUMBER_OF_STUDY_RELATED_SERIES = tag("NumberOfStudyRelatedSeries");
    public static final int NUMBER_OF_STUDY_RELATED_INSTANCES = tag("NumberOfStudyRelatedInstances");
    public static final int NUMBER_OF_SERIES_RELATED_INSTANCES = tag("NumberOfSeriesRelatedInstances");
    public static final int INSTANCE_AVAILABILITY = tag("InstanceAvailability");

    /** The level whose stored attributes hold this tag: study, series, or instance for everything else. */
    public static Level levelOf(int tag) {
        if (STUDY.contains(tag) || tag == MODALITIES_IN_STUDY || tag == SOP_CLASSES_IN_STUDY
                || tag == NUMBER_OF_STUDY_RELATED_SERIES || tag == NUMBER_OF_STUDY_RELATED_INSTANCES) return Level.STUDY;
        if (SERIES.contains(tag) || tag == NUMBER_OF_SERIES_RELATED_INSTANCES) return Level.SERIES;
        return Level.INSTANCE;
    }

    public static Set<Integer> defaults(Level level) {
        return switch (level) {
            case STUDY -> STUDY_DEFAULTS;
            case SERIES -> SERIES_DEFAULTS;
            case INSTANCE -> INSTANCE_DEFAULTS;
        };
    }

    static int tag(String keyword) {
        int tag = DataDictionary.tagOf(keyword);
        if (tag == -1) throw new IllegalStateException("not a keyword of the dictionary: " + keyword);
        return tag;
    }

    private static Set<Integer> tags(String... keywords) {
        Set<Integer> s = new LinkedHashSet<>();
        for (String k : keywords) s.add(tag(k));
        return Collections.unmodifiableSet(s);
    }
}
