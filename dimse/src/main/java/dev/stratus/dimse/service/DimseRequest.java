package dev.stratus.dimse.service;

import dev.stratus.dimse.message.CommandSet;

/**
 * One request received on an association: its presentation context and command set, and what its service notes
 * for the audit trail.
 */
public record DimseRequest(PresentationContext context, CommandSet command, AssociationInfo association, AccessNote note) {
    public DimseRequest(PresentationContext context, CommandSet command, AssociationInfo association) {
        this(context, command, association, new AccessNote());
    }
}
