package dev.stratus.dimse;

import dev.stratus.dimse.pdu.UserIdentity;

import java.net.InetAddress;

/**
 * Decides whether an association may be established, from the User Identity negotiation sub-item
 * (PS3.7 D.3.3.7) and the AE titles. Called once per A-ASSOCIATE-RQ, before any presentation context is
 * accepted; a rejection becomes an A-ASSOCIATE-RJ (permanent, service-user, no reason given).
 */
@FunctionalInterface
public interface Authenticator {
    /** Accepts every association, with or without a user identity. */
    Authenticator ACCEPT_ALL = request -> Result.accept();

    Result authenticate(Request request);

    /** @param identity the User Identity sub-item, or null when the requestor sent none */
    record Request(String callingAeTitle, String calledAeTitle, InetAddress remoteAddress, UserIdentity identity) {}

    sealed interface Result {
        static Result accept() { return new Accepted(new byte[0]); }

        static Result reject(String reason) { return new Rejected(reason); }

        /** @param serverResponse sent back when the requestor asked for a positive response (empty for types 1 and 2) */
        record Accepted(byte[] serverResponse) implements Result {}

        /** @param reason logged, never sent (A-ASSOCIATE-RJ has no text) */
        record Rejected(String reason) implements Result {}
    }
}
