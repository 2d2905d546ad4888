package dev.stratus.dimse;

import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.CommandSet;

/** Request command sets as an SCU sends them (PS3.7 9.3). */
final class Requests {
    private Requests() {}

    static CommandSet echo(int messageId) {
        return new CommandSet().putUid(CommandSet.AFFECTED_SOP_CLASS_UID, "1.2.840.10008.1.1")
                .putUS(CommandSet.COMMAND_FIELD, CommandField.C_ECHO_RQ).putUS(CommandSet.MESSAGE_ID, messageId)
                .putUS(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.NO_DATA_SET);
    }

    static CommandSet store(int messageId, String sopClass, String sopInstance) {
        return new CommandSet().putUid(CommandSet.AFFECTED_SOP_CLASS_UID, sopClass)
                .putUS(CommandSet.COMMAND_FIELD, CommandField.C_STORE_RQ).putUS(CommandSet.MESSAGE_ID, messageId)
                .putUS(CommandSet.PRIORITY, 0).putUS(CommandSet.COMMAND_DATA_SET_TYPE, 0)
                .putUid(CommandSet.AFFECTED_SOP_INSTANCE_UID, sopInstance);
    }

    static CommandSet find(int messageId, String model) {
        return new CommandSet().putUid(CommandSet.AFFECTED_SOP_CLASS_UID, model)
                .putUS(CommandSet.COMMAND_FIELD, CommandField.C_FIND_RQ).putUS(CommandSet.MESSAGE_ID, messageId)
                .putUS(CommandSet.PRIORITY, 0).putUS(CommandSet.COMMAND_DATA_SET_TYPE, 0);
    }

    static CommandSet cancel(int messageIdBeingRespondedTo) {
        return new CommandSet().putUS(CommandSet.COMMAND_FIELD, CommandField.C_CANCEL_RQ)
                .putUS(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO, messageIdBeingRespondedTo)
                .putUS(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.NO_DATA_SET);
    }
}
