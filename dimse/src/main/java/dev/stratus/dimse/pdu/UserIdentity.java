package dev.stratus.dimse.pdu;

import java.nio.charset.StandardCharsets;

/**
 * User Identity sub-item of an A-ASSOCIATE-RQ (PS3.7 D.3.3.7.1, item type 58H).
 *
 * @param type                      1 username, 2 username and passcode, 3 Kerberos, 4 SAML, 5 JWT
 * @param positiveResponseRequested whether the requestor asks for a User Identity server response (59H)
 */
public record UserIdentity(int type, boolean positiveResponseRequested, byte[] primaryField, byte[] secondaryField) {
    public static final int USERNAME = 1;
    public static final int USERNAME_AND_PASSCODE = 2;
    public static final int KERBEROS = 3;
    public static final int SAML = 4;
    public static final int JWT = 5;

    /** The username of types 1 and 2 (UTF-8 per PS3.7 D.3.3.7.1), or null for other types. */
    public String username() {
        return type == USERNAME || type == USERNAME_AND_PASSCODE ? new String(primaryField, StandardCharsets.UTF_8) : null;
    }

    /** The passcode of type 2, or null. */
    public String passcode() {
        return type == USERNAME_AND_PASSCODE ? new String(secondaryField, StandardCharsets.UTF_8) : null;
    }

    @Override
    public String toString() {
        return "UserIdentity[type=" + type + (username() != null ? ", user=" + username() : "") + "]"; // never log secrets
    }
}
