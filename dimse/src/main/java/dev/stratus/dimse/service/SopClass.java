package dev.stratus.dimse.service;

/** The non-storage SOP classes this SCP provides (PS3.4 A.4 and C.6, UIDs of PS3.6 Annex A). */
public final class SopClass {
    private SopClass() {}

    public static final String VERIFICATION = "1.2.840.10008.1.1";
    public static final String PATIENT_ROOT_QR_FIND = "1.2.840.10008.5.1.4.1.2.1.1";
    public static final String STUDY_ROOT_QR_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    public static final String PATIENT_ROOT_QR_MOVE = "1.2.840.10008.5.1.4.1.2.1.2";
    public static final String STUDY_ROOT_QR_MOVE = "1.2.840.10008.5.1.4.1.2.2.2";
    public static final String PATIENT_ROOT_QR_GET = "1.2.840.10008.5.1.4.1.2.1.3";
    public static final String STUDY_ROOT_QR_GET = "1.2.840.10008.5.1.4.1.2.2.3";

    /** Whether a Query/Retrieve SOP class is of the Study Root model, which has no PATIENT level. */
    public static boolean isStudyRoot(String sopClass) {
        return STUDY_ROOT_QR_FIND.equals(sopClass) || STUDY_ROOT_QR_MOVE.equals(sopClass) || STUDY_ROOT_QR_GET.equals(sopClass);
    }
}
