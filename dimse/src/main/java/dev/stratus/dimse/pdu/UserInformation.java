package dev.stratus.dimse.pdu;

/**
 * User Information item (PS3.8 9.3.2.3, PS3.7 Annex D.3.3): the sub-items this implementation uses.
 * Asynchronous operations window, role selection and extended negotiation sub-items are read and not
 * answered, which PS3.7 D.3.3 defines as their defaults (one operation at a time, default roles).
 *
 * @param maxPduLength     Maximum Length Received (51H); 0 means no limit, -1 that the sub-item was absent
 * @param userIdentity     the 58H sub-item of a request, or null
 * @param identityResponse the 59H sub-item of an acceptance, or null
 */
public record UserInformation(long maxPduLength, String implementationClassUid, String implementationVersionName,
                              UserIdentity userIdentity, byte[] identityResponse) {
}
