package dev.stratus.dimse;

import dev.stratus.codec.Tag;
import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.CommandSet;

/** Request command sets as an SCU sends them (PS3.7 9.3). */
final class Requests {
    private Requests() {}

    static CommandSet echo(int messageId) {
        return new CommandSet().putUid(Tag.AffectedSOPClassUID, "1.2.840.10008.1.1")
                .putUS(Tag.CommandField, CommandField.C_ECHO_RQ).putUS(Tag.MessageID, messageId)
                .putUS(Tag.CommandDataSetType, CommandSet.NO_DATA_SET);
    }

    static CommandSet store(int messageId, String sopClass, String sopInstance) {
        return new CommandSet().putUid(Tag.AffectedSOPClassUID, sopClass)
                .putUS(Tag.CommandField, CommandField.C_STORE_RQ).putUS(Tag.MessageID, messageId)
                .putUS(Tag.Priority, 0).putUS(Tag.CommandDataSetType, 0)
                .putUid(Tag.AffectedSOPInstanceUID, sopInstance);
    }

    static CommandSet find(int messageId, String model) {
        return new CommandSet().putUid(Tag.AffectedSOPClassUID, model)
                .putUS(Tag.CommandField, CommandField.C_FIND_RQ).putUS(Tag.MessageID, messageId)
                .putUS(Tag.Priority, 0).putUS(Tag.CommandDataSetType, 0);
    }

    static CommandSet cancel(int messageIdBeingRespondedTo) {
        return new CommandSet().putUS(Tag.CommandField, CommandField.C_CANCEL_RQ)
                .putUS(Tag.MessageIDBeingRespondedTo, messageIdBeingRespondedTo)
                .putUS(Tag.CommandDataSetType, CommandSet.NO_DATA_SET);
    }
}
