package dev.stratus.dimse.pdu;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.stratus.dimse.pdu.AAbort.INVALID_PDU_PARAMETER_VALUE;
import static dev.stratus.dimse.pdu.AAbort.UNRECOGNIZED_PDU_PARAMETER;
import static dev.stratus.dimse.pdu.AAbort.UNEXPECTED_PDU_PARAMETER;

/**
 * Decodes the variable field of a PDU (the bytes after its 6-byte header, PS3.8 9.3). Every length is
 * checked against what contains it; anything inconsistent is a PduException carrying the A-ABORT reason.
 */
public final class PduDecoder {
    private PduDecoder() {}

    static final int ITEM_APPLICATION_CONTEXT = 0x10;
    static final int ITEM_PRESENTATION_CONTEXT_RQ = 0x20;
    static final int ITEM_PRESENTATION_CONTEXT_AC = 0x21;
    static final int ITEM_ABSTRACT_SYNTAX = 0x30;
    static final int ITEM_TRANSFER_SYNTAX = 0x40;
    static final int ITEM_USER_INFORMATION = 0x50;
    static final int SUB_MAXIMUM_LENGTH = 0x51;
    static final int SUB_IMPLEMENTATION_CLASS_UID = 0x52;
    static final int SUB_ROLE_SELECTION = 0x54;
    static final int SUB_IMPLEMENTATION_VERSION_NAME = 0x55;
    static final int SUB_USER_IDENTITY_RQ = 0x58;
    static final int SUB_USER_IDENTITY_AC = 0x59;

    /**
     * Transfer syntaxes one presentation context may propose. PS3.6 defines about 70 (retired ones included);
     * without a bound a 1 MiB A-ASSOCIATE-RQ could carry 260,000 empty ones, each a String to hold. The number
     * of presentation contexts needs no bound of its own: their IDs are distinct odd bytes, so at most 128.
     */
    public static final int MAX_TRANSFER_SYNTAXES_PER_CONTEXT = 128;

    /** Bytes before the variable items of A-ASSOCIATE-RQ/AC: version, reserved, two AE titles, 32 reserved. */
    static final int ASSOCIATE_FIXED_FIELDS = 68;

    public static Pdu decode(int type, byte[] b, int length) throws PduException {
        return switch (type) {
            case PduType.A_ASSOCIATE_RQ -> associateRq(b, length);
            case PduType.A_ASSOCIATE_AC -> associateAc(b, length);
            case PduType.A_ASSOCIATE_RJ -> new AAssociateRj(u8(b, 1), u8(b, 2), u8(b, 3));
            case PduType.P_DATA_TF -> new PDataTf(pdvs(b, length));
            case PduType.A_RELEASE_RQ -> new AReleaseRq();
            case PduType.A_RELEASE_RP -> new AReleaseRp();
            case PduType.A_ABORT -> new AAbort(u8(b, 2), u8(b, 3));
            default -> throw new PduException(AAbort.UNRECOGNIZED_PDU, "unrecognized PDU type " + type);
        };
    }

    /** The PDV items of a P-DATA-TF (PS3.8 9.3.5.1): at least one, each of at least its 2 header bytes. */
    public static List<Pdv> pdvs(byte[] b, int length) throws PduException {
        List<Pdv> out = new ArrayList<>(2);
        int pos = 0;
        while (pos < length) {
            if (length - pos < 6) throw invalid("PDV item header cut short at offset " + pos);
            long itemLength = u32(b, pos);
            if (itemLength < 2 || itemLength > length - pos - 4) {
                throw invalid("PDV item length " + itemLength + " does not fit the " + (length - pos - 4) + " bytes left in the P-DATA-TF");
            }
            int pcId = u8(b, pos + 4);
            int mch = u8(b, pos + 5);
            if ((mch & ~3) != 0) throw invalid(String.format("reserved bits set in message control header %02XH", mch));
            out.add(new Pdv(pcId, (mch & 1) != 0, (mch & 2) != 0, b, pos + 6, (int) itemLength - 2));
            pos += 4 + (int) itemLength;
        }
        if (out.isEmpty()) throw invalid("P-DATA-TF without a PDV item");
        return out;
    }

    private static AAssociateRq associateRq(byte[] b, int length) throws PduException {
        Fixed f = fixed(b, length);
        String appContext = null;
        List<PresentationContextRq> pcs = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        UserInformation ui = null;
        int pos = ASSOCIATE_FIXED_FIELDS;
        while (pos < length) {
            Item it = item(b, pos, length);
            switch (it.type) {
                case ITEM_APPLICATION_CONTEXT -> {
                    if (appContext != null) throw unexpected("second Application Context item");
                    appContext = ascii(b, it.start, it.length);
                }
                case ITEM_PRESENTATION_CONTEXT_RQ -> {
                    PresentationContextRq pc = presentationContextRq(b, it);
                    if (!ids.add(pc.id())) throw invalid("presentation context ID " + pc.id() + " proposed twice");
                    pcs.add(pc);
                }
                case ITEM_USER_INFORMATION -> {
                    if (ui != null) throw unexpected("second User Information item");
                    ui = userInformation(b, it);
                }
                default -> throw new PduException(UNRECOGNIZED_PDU_PARAMETER, String.format("unrecognized item type %02XH in A-ASSOCIATE-RQ", it.type));
            }
            pos = it.end();
        }
        if (appContext == null) throw invalid("A-ASSOCIATE-RQ without an Application Context item");
        if (pcs.isEmpty()) throw invalid("A-ASSOCIATE-RQ without a Presentation Context item");
        if (ui == null) throw invalid("A-ASSOCIATE-RQ without a User Information item");
        return new AAssociateRq(f.version, f.called, f.calling, appContext, List.copyOf(pcs), ui);
    }

    private static AAssociateAc associateAc(byte[] b, int length) throws PduException {
        Fixed f = fixed(b, length);
        String appContext = null;
        List<PresentationContextAc> pcs = new ArrayList<>();
        UserInformation ui = null;
        int pos = ASSOCIATE_FIXED_FIELDS;
        while (pos < length) {
            Item it = item(b, pos, length);
            switch (it.type) {
                case ITEM_APPLICATION_CONTEXT -> appContext = ascii(b, it.start, it.length);
                case ITEM_PRESENTATION_CONTEXT_AC -> {
                    if (it.length < 4) throw invalid("presentation context item shorter than 4 bytes");
                    String ts = null;
                    int p = it.start + 4;
                    while (p < it.end()) {
                        Item sub = item(b, p, it.end());
                        if (sub.type == ITEM_TRANSFER_SYNTAX) ts = ascii(b, sub.start, sub.length);
                        p = sub.end();
                    }
                    pcs.add(new PresentationContextAc(u8(b, it.start), u8(b, it.start + 2), ts));
                }
                case ITEM_USER_INFORMATION -> ui = userInformation(b, it);
                default -> throw new PduException(UNRECOGNIZED_PDU_PARAMETER, String.format("unrecognized item type %02XH in A-ASSOCIATE-AC", it.type));
            }
            pos = it.end();
        }
        return new AAssociateAc(f.version, f.called, f.calling, appContext, List.copyOf(pcs), ui);
    }

    private record Fixed(int version, String called, String calling) {}

    private static Fixed fixed(byte[] b, int length) throws PduException {
        if (length < ASSOCIATE_FIXED_FIELDS) throw invalid("A-ASSOCIATE PDU of " + length + " bytes is shorter than its fixed fields");
        return new Fixed(u16(b, 0), aeTitle(b, 4), aeTitle(b, 20));
    }

    private static PresentationContextRq presentationContextRq(byte[] b, Item it) throws PduException {
        if (it.length < 4) throw invalid("presentation context item shorter than 4 bytes");
        int id = u8(b, it.start);
        if ((id & 1) == 0) throw invalid("presentation context ID " + id + " is not an odd number (PS3.8 9.3.2.2)");
        String abstractSyntax = null;
        List<String> transferSyntaxes = new ArrayList<>();
        int p = it.start + 4;
        while (p < it.end()) {
            Item sub = item(b, p, it.end());
            switch (sub.type) {
                case ITEM_ABSTRACT_SYNTAX -> {
                    if (abstractSyntax != null) throw unexpected("second abstract syntax in presentation context " + id);
                    abstractSyntax = ascii(b, sub.start, sub.length);
                }
                case ITEM_TRANSFER_SYNTAX -> {
                    if (transferSyntaxes.size() == MAX_TRANSFER_SYNTAXES_PER_CONTEXT) {
                        throw invalid("presentation context " + id + " proposes more than " + MAX_TRANSFER_SYNTAXES_PER_CONTEXT + " transfer syntaxes");
                    }
                    transferSyntaxes.add(ascii(b, sub.start, sub.length));
                }
                default -> throw new PduException(UNRECOGNIZED_PDU_PARAMETER, String.format("unrecognized sub-item %02XH in presentation context %d", sub.type, id));
            }
            p = sub.end();
        }
        if (abstractSyntax == null) throw invalid("presentation context " + id + " without an abstract syntax");
        if (transferSyntaxes.isEmpty()) throw invalid("presentation context " + id + " without a transfer syntax");
        return new PresentationContextRq(id, abstractSyntax, List.copyOf(transferSyntaxes));
    }

    private static UserInformation userInformation(byte[] b, Item it) throws PduException {
        long maxLength = -1;
        String classUid = null, versionName = null;
        UserIdentity identity = null;
        byte[] identityResponse = null;
        List<RoleSelection> roles = new ArrayList<>();
        Set<String> roleClasses = new HashSet<>();
        int p = it.start;
        while (p < it.end()) {
            Item sub = item(b, p, it.end());
            switch (sub.type) {
                case SUB_MAXIMUM_LENGTH -> {
                    if (sub.length != 4) throw invalid("Maximum Length sub-item of " + sub.length + " bytes instead of 4");
                    maxLength = u32(b, sub.start);
                }
                case SUB_IMPLEMENTATION_CLASS_UID -> classUid = ascii(b, sub.start, sub.length);
                case SUB_IMPLEMENTATION_VERSION_NAME -> versionName = ascii(b, sub.start, sub.length);
                case SUB_USER_IDENTITY_RQ -> identity = userIdentity(b, sub);
                case SUB_USER_IDENTITY_AC -> {
                    if (sub.length < 2 || u16(b, sub.start) != sub.length - 2) throw invalid("malformed User Identity server response");
                    identityResponse = java.util.Arrays.copyOfRange(b, sub.start + 2, sub.end());
                }
                case SUB_ROLE_SELECTION -> {
                    RoleSelection r = roleSelection(b, sub);
                    // One per SOP class (PS3.7 D.3.3.4), and so no more than there can be presentation contexts.
                    if (!roleClasses.add(r.sopClassUid())) throw invalid("second role selection for " + r.sopClassUid());
                    if (roles.size() == 128) throw invalid("more than 128 role selection sub-items");
                    roles.add(r);
                }
                default -> { } // PS3.7 D.3.3: sub-items not understood are not answered, which means not supported
            }
            p = sub.end();
        }
        return new UserInformation(maxLength, classUid, versionName, identity, identityResponse, roles);
    }

    private static RoleSelection roleSelection(byte[] b, Item sub) throws PduException {
        if (sub.length < 4) throw invalid("role selection sub-item shorter than 4 bytes");
        int uidLength = u16(b, sub.start);
        if (uidLength == 0 || 2 + uidLength + 2 != sub.length) throw invalid("role selection UID length " + uidLength + " does not fit its sub-item of " + sub.length + " bytes");
        String uid = ascii(b, sub.start + 2, uidLength);
        return new RoleSelection(uid, u8(b, sub.start + 2 + uidLength) == 1, u8(b, sub.start + 3 + uidLength) == 1);
    }

    private static UserIdentity userIdentity(byte[] b, Item sub) throws PduException {
        if (sub.length < 6) throw invalid("User Identity sub-item shorter than 6 bytes");
        int type = u8(b, sub.start);
        if (type < 1 || type > 5) throw invalid("User Identity type " + type + " is not 1 to 5");
        boolean positive = u8(b, sub.start + 1) == 1;
        int primaryLength = u16(b, sub.start + 2);
        int secondaryAt = sub.start + 4 + primaryLength;
        if (secondaryAt + 2 > sub.end()) throw invalid("User Identity primary field overruns its sub-item");
        int secondaryLength = u16(b, secondaryAt);
        if (secondaryAt + 2 + secondaryLength != sub.end()) throw invalid("User Identity field lengths do not add up to the sub-item length");
        if (primaryLength == 0) throw invalid("User Identity with an empty primary field");
        return new UserIdentity(type, positive, java.util.Arrays.copyOfRange(b, sub.start + 4, secondaryAt),
                java.util.Arrays.copyOfRange(b, secondaryAt + 2, secondaryAt + 2 + secondaryLength));
    }

    private record Item(int type, int start, int length) {
        int end() { return start + length; }
    }

    /** An item or sub-item at pos: type, reserved, 2-byte length, then its value, which must end by {@code limit}. */
    private static Item item(byte[] b, int pos, int limit) throws PduException {
        if (limit - pos < 4) throw invalid("item header cut short at offset " + pos);
        int type = u8(b, pos);
        int len = u16(b, pos + 2);
        if (len > limit - pos - 4) throw invalid(String.format("item %02XH of length %d overruns its container by %d bytes", type, len, len - (limit - pos - 4)));
        return new Item(type, pos + 4, len);
    }

    /** A UID as sent: ASCII, with trailing NUL or space padding that some implementations add removed. */
    private static String ascii(byte[] b, int off, int len) throws PduException {
        int end = off + len;
        while (end > off && (b[end - 1] == 0 || b[end - 1] == ' ')) end--;
        for (int i = off; i < end; i++) {
            if (b[i] < 0x20 || b[i] > 0x7E) throw invalid(String.format("non-printable byte %02XH in a UID or name", b[i] & 0xFF));
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    /** A 16-byte AE title field without its leading and trailing spaces (insignificant, PS3.5 6.2 AE); raw bytes kept as ISO 8859-1. */
    private static String aeTitle(byte[] b, int off) {
        return new String(b, off, 16, StandardCharsets.ISO_8859_1).strip();
    }

    static int u8(byte[] b, int i) { return b[i] & 0xFF; }

    static int u16(byte[] b, int i) { return (u8(b, i) << 8) | u8(b, i + 1); }

    static long u32(byte[] b, int i) { return ((long) u16(b, i) << 16) | u16(b, i + 2); }

    private static PduException invalid(String message) {
        return new PduException(INVALID_PDU_PARAMETER_VALUE, message);
    }

    private static PduException unexpected(String message) {
        return new PduException(UNEXPECTED_PDU_PARAMETER, message);
    }
}
