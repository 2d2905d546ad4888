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
    /** N-service: No such SOP Instance; Storage Commitment failure reason: no such object instance. */
    public static final int NO_SUCH_SOP_INSTANCE = 0x0112;
    /** Storage Commitment failure reason: Class-Instance conflict. */
    public static final int CLASS_INSTANCE_CONFLICT = 0x0119;
    /** N-service: Missing Attribute. */
    public static final int MISSING_ATTRIBUTE = 0x0120;
    /** N-service: No such Action. */
    public static final int NO_SUCH_ACTION = 0x0123;
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    public static final int NOT_AUTHORIZED = 0x0124;
    public static final int UNRECOGNIZED_OPERATION = 0x0211;
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** C-MOVE, C-GET: Refused, out of resources, unable to calculate number of matches (PS3.4 C.4.2.1.5). */
    public static final int OUT_OF_RESOURCES_MATCHES = 0xA701;
    /** C-MOVE, C-GET: Refused, out of resources, unable to perform sub-operations. */
    public static final int OUT_OF_RESOURCES_SUB_OPERATIONS = 0xA702;
    /** C-MOVE: Refused, Move Destination unknown. */
    public static final int MOVE_DESTINATION_UNKNOWN = 0xA801;
    /** C-MOVE, C-GET: sub-operations complete, one or more failures or warnings. */
    public static final int SUB_OPERATIONS_WARNING = 0xB000;
    /** C-STORE: Data Set does not match SOP Class; C-FIND: Identifier does not match SOP Class. */
    public static final int DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** C-STORE: Cannot understand; C-FIND: Unable to process. */
    public static final int CANNOT_UNDERSTAND = 0xC000;
    /** C-STORE warning: Data Set does not match SOP Class (stored anyway, PS3.4 B.2.3). */
    public static final int WARNING_DATA_SET_DOES_NOT_MATCH = 0xB007;

    /** Warning statuses (PS3.7 C.3): 0001H and Bxxx. */
    public static boolean isWarning(int status) {
        return status == 0x0001 || (status & 0xF000) == 0xB000;
    }

    public static boolean isPending(int status) {
        return status == PENDING || status == PENDING_WARNING;
    }
}
