package dev.stratus.dimse.service;

import dev.stratus.dimse.message.CommandSet;

/** Response command sets (PS3.7 9.3): echo the request's SOP class and message ID, carry the status. */
public final class Responses {
    private Responses() {}

    public static CommandSet to(CommandSet request, int responseField, int status) {
        CommandSet rsp = new CommandSet();
        String sopClass = request.getString(CommandSet.AFFECTED_SOP_CLASS_UID);
        if (sopClass != null) rsp.putUid(CommandSet.AFFECTED_SOP_CLASS_UID, sopClass);
        rsp.putUS(CommandSet.COMMAND_FIELD, responseField);
        rsp.putUS(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO, request.messageId());
        rsp.putUS(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.NO_DATA_SET);
        rsp.putUS(CommandSet.STATUS, status);
        return rsp;
    }

    public static CommandSet failure(CommandSet request, int responseField, int status, String comment) {
        return to(request, responseField, status).putErrorComment(comment);
    }
}
