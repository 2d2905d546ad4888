package dev.stratus.dimse.service;

/** The non-storage SOP classes this SCP provides (PS3.4 A.4, C.6 and J, UIDs of PS3.6 Annex A). */
public final class SopClass {
    private SopClass() {}

    public static final String VERIFICATION = "1.2.840.10008.1.1";
    public static final String PATIENT_ROOT_QR_FIND = "1.2.840.10008.5.1.4.1.2.1.1";
    public static final String STUDY_ROOT_QR_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    public static final String PATIENT_ROOT_QR_MOVE = "1.2.840.10008.5.1.4.1.2.1.2";
    public static final String STUDY_ROOT_QR_MOVE = "1.2.840.10008.5.1.4.1.2.2.2";
    public static final String PATIENT_ROOT_QR_GET = "1.2.840.10008.5.1.4.1.2.1.3";
    public static final String STUDY_ROOT_QR_GET = "1.2.840.10008.5.1.4.1.2.2.3";
    public static final String STORAGE_COMMITMENT_PUSH = "1.2.840.10008.1.20.1";
    /** The well-known SOP Instance of Storage Commitment Push Model (PS3.4 J.3.5). */
    public static final String STORAGE_COMMITMENT_PUSH_INSTANCE = "1.2.840.10008.1.20.1.1";

    /** Whether a Query/Retrieve SOP class is of the Study Root model, which has no PATIENT level. */
    public static boolean isStudyRoot(String sopClass) {
        return STUDY_ROOT_QR_FIND.equals(sopClass) || STUDY_ROOT_QR_MOVE.equals(sopClass) || STUDY_ROOT_QR_GET.equals(sopClass);
    }
}
