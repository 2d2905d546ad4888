package dev.stratus.dimse.message;

/** Status (0000,0900) values used by this SCP (PS3.7 Annex C, PS3.4 B.2.3 and C.4.1.1.4). */
public final class Status {
    private Status() {}

    public static final int SUCCESS = 0x0000;
    public static final int PENDING = 0xFF00;
    /** Pending, with a warning that one or more Optional Keys were not supported for matching (PS3.4 C.4.1.1.4). */
    public static final int PENDING_WARNING = 0xFF01;
    public static final int CANCEL = 0xFE00;
    public static final int PROCESSING_FAILURE = 0x0110;
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    public static final int NOT_AUTHORIZED = 0x0124;
    public static final int UNRECOGNIZED_OPERATION = 0x0211;
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** C-STORE: Data Set does not match SOP Class; C-FIND: Identifier does not match SOP Class. */
    public static final int DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** C-STORE: Cannot understand; C-FIND: Unable to process. */
    public static final int CANNOT_UNDERSTAND = 0xC000;
    /** C-STORE warning: Data Set does not match SOP Class (stored anyway, PS3.4 B.2.3). */
    public static final int WARNING_DATA_SET_DOES_NOT_MATCH = 0xB007;

    public static boolean isPending(int status) {
        return status == PENDING || status == PENDING_WARNING;
    }
}
