package dev.stratus.dimse.pdu;

/** A-ASSOCIATE-RJ PDU (PS3.8 9.3.4): result, source and reason/diag. as in Table 9-21. */
public record AAssociateRj(int result, int source, int reason) implements Pdu {
    public static final int REJECTED_PERMANENT = 1;
    public static final int REJECTED_TRANSIENT = 2;

    /** Source 1: DICOM UL service-user. */
    public static final int SOURCE_SERVICE_USER = 1;
    /** Source 2: DICOM UL service-provider (ACSE related function). */
    public static final int SOURCE_SERVICE_PROVIDER_ACSE = 2;
    /** Source 3: DICOM UL service-provider (Presentation related function). */
    public static final int SOURCE_SERVICE_PROVIDER_PRESENTATION = 3;

    // Reasons for source 1.
    public static final int NO_REASON_GIVEN = 1;
    public static final int APPLICATION_CONTEXT_NAME_NOT_SUPPORTED = 2;
    public static final int CALLING_AE_TITLE_NOT_RECOGNIZED = 3;
    public static final int CALLED_AE_TITLE_NOT_RECOGNIZED = 7;
    // Reason for source 2.
    public static final int PROTOCOL_VERSION_NOT_SUPPORTED = 2;
    // Reasons for source 3.
    public static final int TEMPORARY_CONGESTION = 1;
    public static final int LOCAL_LIMIT_EXCEEDED = 2;

    @Override
    public String toString() {
        return "A-ASSOCIATE-RJ[result=" + result + ", source=" + source + ", reason=" + reason + "]";
    }
}
