package dev.stratus.dimse.message;

/** Command Field (0000,0100) values of PS3.7 Annex E for the DIMSE-C services and the DIMSE-N ones of Storage Commitment. */
public final class CommandField {
    private CommandField() {}

    public static final int C_STORE_RQ = 0x0001;
    public static final int C_STORE_RSP = 0x8001;
    public static final int C_GET_RQ = 0x0010;
    public static final int C_GET_RSP = 0x8010;
    public static final int C_FIND_RQ = 0x0020;
    public static final int C_FIND_RSP = 0x8020;
    public static final int C_MOVE_RQ = 0x0021;
    public static final int C_MOVE_RSP = 0x8021;
    public static final int C_ECHO_RQ = 0x0030;
    public static final int C_ECHO_RSP = 0x8030;
    public static final int C_CANCEL_RQ = 0x0FFF;
    public static final int N_EVENT_REPORT_RQ = 0x0100;
    public static final int N_EVENT_REPORT_RSP = 0x8100;
    public static final int N_ACTION_RQ = 0x0130;
    public static final int N_ACTION_RSP = 0x8130;

    /** Responses have the high bit set (PS3.7 E.1). */
    public static boolean isResponse(int commandField) {
        return (commandField & 0x8000) != 0;
    }

    public static String name(int commandField) {
        return switch (commandField) {
            case C_STORE_RQ -> "C-STORE-RQ";
            case C_STORE_RSP -> "C-STORE-RSP";
            case C_GET_RQ -> "C-GET-RQ";
            case C_GET_RSP -> "C-GET-RSP";
            case C_FIND_RQ -> "C-FIND-RQ";
            case C_FIND_RSP -> "C-FIND-RSP";
            case C_MOVE_RQ -> "C-MOVE-RQ";
            case C_MOVE_RSP -> "C-MOVE-RSP";
            case C_ECHO_RQ -> "C-ECHO-RQ";
            case C_ECHO_RSP -> "C-ECHO-RSP";
            case C_CANCEL_RQ -> "C-CANCEL-RQ";
            case N_EVENT_REPORT_RQ -> "N-EVENT-REPORT-RQ";
            case N_EVENT_REPORT_RSP -> "N-EVENT-REPORT-RSP";
            case N_ACTION_RQ -> "N-ACTION-RQ";
            case N_ACTION_RSP -> "N-ACTION-RSP";
            default -> String.format("command %04XH", commandField);
        };
    }
}
