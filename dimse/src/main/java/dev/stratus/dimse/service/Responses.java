package dev.stratus.dimse.service;

import dev.stratus.codec.Tag;
import dev.stratus.dimse.message.CommandSet;

/** Response command sets (PS3.7 9.3): echo the request's SOP class and message ID, carry the status. */
public final class Responses {
    private Responses() {}

    public static CommandSet to(CommandSet request, int responseField, int status) {
        CommandSet rsp = new CommandSet();
        String sopClass = request.getString(Tag.AffectedSOPClassUID);
        if (sopClass != null) rsp.putUid(Tag.AffectedSOPClassUID, sopClass);
        rsp.putUS(Tag.CommandField, responseField);
        rsp.putUS(Tag.MessageIDBeingRespondedTo, request.messageId());
        rsp.putUS(Tag.CommandDataSetType, CommandSet.NO_DATA_SET);
        rsp.putUS(Tag.Status, status);
        return rsp;
    }

    public static CommandSet failure(CommandSet request, int responseField, int status, String comment) {
        return to(request, responseField, status).putErrorComment(comment);
    }
}
