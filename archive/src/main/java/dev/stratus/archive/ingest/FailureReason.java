package dev.stratus.archive.ingest;

/**
 * Status codes a store can fail or warn with: the Failure Reason (0008,1197) values of PS3.18 10.5.3
 * and the C-STORE statuses of PS3.4 B.2.3, which are the same numbers.
 */
public final class FailureReason {
    private FailureReason() {}

    public static final int PROCESSING_FAILURE = 0x0110;
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    public static final int OUT_OF_RESOURCES = 0xA700;
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    public static final int CANNOT_UNDERSTAND = 0xC000;
    public static final int TRANSFER_SYNTAX_NOT_SUPPORTED = 0xC122;

    /** Warning: the data set does not match the SOP class (stored anyway). */
    public static final int WARNING_DATA_SET_DOES_NOT_MATCH = 0xB007;
}
