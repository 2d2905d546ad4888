package dev.stratus.dimse.service;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PATIENT level of the Patient Root model: the index keeps patients within studies, so matching studies
 * are grouped by Patient ID and Issuer of Patient ID, the first study's patient attributes standing for
 * the patient, with the Number of Patient Related Studies/Series/Instances summed over the group.
 */
final class PatientRollup {
    private static final class Patient {
        final DataSet attributes;
        int studies;
        long series;
        long instances;

        Patient(DataSet attributes) { this.attributes = attributes; }
    }

    private final Map<String, Patient> patients = new LinkedHashMap<>();

    void add(DataSet study) {
        String id = nullToEmpty(study.getString(Tag.PatientID)) + '\u0000' + nullToEmpty(study.getString(Tag.IssuerOfPatientID));
        Patient p = patients.computeIfAbsent(id, k -> new Patient(study));
        p.studies++;
        p.series += study.getInt(Tag.NumberOfStudyRelatedSeries, 0);
        p.instances += study.getInt(Tag.NumberOfStudyRelatedInstances, 0);
    }

    /** One data set per patient, in the order patients were first seen, with the computed counts. */
    List<DataSet> patients() {
        List<DataSet> out = new ArrayList<>(patients.size());
        for (Patient p : patients.values()) {
            DataSet ds = p.attributes;
            ds.setString(Tag.NumberOfPatientRelatedStudies, VR.IS, String.valueOf(p.studies));
            ds.setString(Tag.NumberOfPatientRelatedSeries, VR.IS, String.valueOf(p.series));
            ds.setString(Tag.NumberOfPatientRelatedInstances, VR.IS, String.valueOf(p.instances));
            out.add(ds);
        }
        return out;
    }

    private static String nullToEmpty(String s) { return s == null ? "" : s; }
}
