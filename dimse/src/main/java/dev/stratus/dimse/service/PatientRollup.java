package dev.stratus.dimse.service;

import dev.stratus.codec.DataSet;
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
        String id = nullToEmpty(study.getString(FindQuery.PATIENT_ID)) + '\u0000' + nullToEmpty(study.getString(FindQuery.ISSUER_OF_PATIENT_ID));
        Patient p = patients.computeIfAbsent(id, k -> new Patient(study));
        p.studies++;
        p.series += study.getInt(FindQuery.NUMBER_OF_STUDY_RELATED_SERIES, 0);
        p.instances += study.getInt(FindQuery.NUMBER_OF_STUDY_RELATED_INSTANCES, 0);
    }

    /** One data set per patient, in the order patients were first seen, with the computed counts. */
    List<DataSet> patients() {
        List<DataSet> out = new ArrayList<>(patients.size());
        for (Patient p : patients.values()) {
            DataSet ds = p.attributes;
            ds.setString(FindQuery.NUMBER_OF_PATIENT_RELATED_STUDIES, VR.IS, String.valueOf(p.studies));
            ds.setString(FindQuery.NUMBER_OF_PATIENT_RELATED_SERIES, VR.IS, String.valueOf(p.series));
            ds.setString(FindQuery.NUMBER_OF_PATIENT_RELATED_INSTANCES, VR.IS, String.valueOf(p.instances));
            out.add(ds);
        }
        return out;
    }

    private static String nullToEmpty(String s) { return s == null ? "" : s; }
}
