package dev.stratus.dimse.pdu;

/**
 * User Information item (PS3.8 9.3.2.3, PS3.7 Annex D.3.3): the sub-items this implementation uses.
 * Asynchronous operations window and extended negotiation sub-items are read and not answered, which PS3.7
 * D.3.3 defines as their defaults (one operation at a time); role selection is answered for C-GET.
 *
 * @param maxPduLength     Maximum Length Received (51H); 0 means no limit, -1 that the sub-item was absent
 * @param userIdentity     the 58H sub-item of a request, or null
 * @param identityResponse the 59H sub-item of an acceptance, or null
 * @param roleSelections   the 54H sub-items, at most one per SOP class
 */
public record UserInformation(long maxPduLength, String implementationClassUid, String implementationVersionName,
                              UserIdentity userIdentity, byte[] identityResponse, java.util.List<RoleSelection> roleSelections) {
    public UserInformation {
        roleSelections = java.util.List.copyOf(roleSelections);
    }

    public UserInformation(long maxPduLength, String implementationClassUid, String implementationVersionName,
                           UserIdentity userIdentity, byte[] identityResponse) {
        this(maxPduLength, implementationClassUid, implementationVersionName, userIdentity, identityResponse, java.util.List.of());
    }

    /** The role selection proposed or agreed for a SOP class, or null (default roles). */
    public RoleSelection roleSelection(String sopClassUid) {
        for (RoleSelection r : roleSelections) if (r.sopClassUid().equals(sopClassUid)) return r;
        return null;
    }
}
