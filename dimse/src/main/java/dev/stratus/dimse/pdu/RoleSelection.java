package dev.stratus.dimse.pdu;

/**
 * SCP/SCU Role Selection sub-item (PS3.7 D.3.3.4): in a request, the roles the requestor proposes to take for a
 * SOP class; in an acceptance, those the acceptor agrees to. C-GET needs the requestor as Storage SCP.
 */
public record RoleSelection(String sopClassUid, boolean scuRole, boolean scpRole) {}
