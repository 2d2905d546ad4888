package dev.stratus.dimse.pdu;

/** A-ABORT PDU (PS3.8 9.3.8): source and reason/diag. as in Table 9-26. */
public record AAbort(int source, int reason) implements Pdu {
    /** Source: the DICOM UL service-user initiated the abort. */
    public static final int SERVICE_USER = 0;
    /** Source: the DICOM UL service-provider initiated the abort (protocol error). */
    public static final int SERVICE_PROVIDER = 2;

    public static final int REASON_NOT_SPECIFIED = 0;
    public static final int UNRECOGNIZED_PDU = 1;
    public static final int UNEXPECTED_PDU = 2;
    public static final int UNRECOGNIZED_PDU_PARAMETER = 4;
    public static final int UNEXPECTED_PDU_PARAMETER = 5;
    public static final int INVALID_PDU_PARAMETER_VALUE = 6;

    public static AAbort provider(int reason) {
        return new AAbort(SERVICE_PROVIDER, reason);
    }

    public static String reasonName(int reason) {
        return switch (reason) {
            case REASON_NOT_SPECIFIED -> "reason-not-specified";
            case UNRECOGNIZED_PDU -> "unrecognized-PDU";
            case UNEXPECTED_PDU -> "unexpected-PDU";
            case UNRECOGNIZED_PDU_PARAMETER -> "unrecognized-PDU-parameter";
            case UNEXPECTED_PDU_PARAMETER -> "unexpected-PDU-parameter";
            case INVALID_PDU_PARAMETER_VALUE -> "invalid-PDU-parameter-value";
            default -> "reason " + reason;
        };
    }

    @Override
    public String toString() {
        return "A-ABORT[source=" + source + ", " + reasonName(reason) + "]";
    }
}
