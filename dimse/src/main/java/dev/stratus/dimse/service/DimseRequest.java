package dev.stratus.dimse.service;

import dev.stratus.dimse.message.CommandSet;

/** One request received on an association: its presentation context and command set. */
public record DimseRequest(PresentationContext context, CommandSet command, AssociationInfo association) {}
