package dev.stratus.dimse.pdu;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Encodes PDUs, header included (PS3.8 9.3): big-endian lengths, AE titles space-padded to 16 bytes. */
public final class PduEncoder {
    private PduEncoder() {}

    public static byte[] encode(Pdu pdu) {
        return switch (pdu) {
            case AAssociateRq rq -> associateRq(rq);
            case AAssociateAc ac -> associateAc(ac);
            case AAssociateRj rj -> fourBytes(PduType.A_ASSOCIATE_RJ, 0, rj.result(), rj.source(), rj.reason());
            case AReleaseRq rq -> fourBytes(PduType.A_RELEASE_RQ, 0, 0, 0, 0);
            case AReleaseRp rp -> fourBytes(PduType.A_RELEASE_RP, 0, 0, 0, 0);
            case AAbort a -> fourBytes(PduType.A_ABORT, 0, 0, a.source(), a.reason());
            case PDataTf p -> pDataTf(p);
        };
    }

    /** The 6-byte header of a P-DATA-TF holding one PDV of {@code fragmentLength} bytes, followed by the PDV item header. */
    public static byte[] pDataHeader(int presentationContextId, int messageControlHeader, int fragmentLength) {
        byte[] h = new byte[12];
        h[0] = PduType.P_DATA_TF;
        putInt(h, 2, fragmentLength + 6);
        putInt(h, 6, fragmentLength + 2);
        h[10] = (byte) presentationContextId;
        h[11] = (byte) messageControlHeader;
        return h;
    }

    private static byte[] pDataTf(PDataTf p) {
        Buf b = new Buf(PduType.P_DATA_TF);
        for (Pdv pdv : p.pdvs()) {
            b.u32(pdv.length() + 2);
            b.u8(pdv.presentationContextId());
            b.u8(pdv.messageControlHeader());
            b.bytes(Arrays.copyOfRange(pdv.buffer(), pdv.offset(), pdv.offset() + pdv.length()));
        }
        return b.finish();
    }

    private static byte[] fourBytes(int type, int b0, int b1, int b2, int b3) {
        return new byte[] {(byte) type, 0, 0, 0, 0, 4, (byte) b0, (byte) b1, (byte) b2, (byte) b3};
    }

    private static byte[] associateRq(AAssociateRq rq) {
        Buf b = fixed(PduType.A_ASSOCIATE_RQ, rq.protocolVersion(), rq.calledAeTitle(), rq.callingAeTitle(), rq.applicationContextName());
        for (PresentationContextRq pc : rq.presentationContexts()) {
            Buf sub = new Buf();
            sub.u8(pc.id()).u8(0).u8(0).u8(0);
            sub.item(PduDecoder.ITEM_ABSTRACT_SYNTAX, ascii(pc.abstractSyntax()));
            for (String ts : pc.transferSyntaxes()) sub.item(PduDecoder.ITEM_TRANSFER_SYNTAX, ascii(ts));
            b.item(PduDecoder.ITEM_PRESENTATION_CONTEXT_RQ, sub.bytes());
        }
        userInformation(b, rq.userInformation());
        return b.finish();
    }

    private static byte[] associateAc(AAssociateAc ac) {
        Buf b = fixed(PduType.A_ASSOCIATE_AC, ac.protocolVersion(), ac.calledAeTitle(), ac.callingAeTitle(), ac.applicationContextName());
        for (PresentationContextAc pc : ac.presentationContexts()) {
            Buf sub = new Buf();
            sub.u8(pc.id()).u8(0).u8(pc.result()).u8(0);
            // PS3.8 9.3.3.2: one transfer syntax sub-item, whose value is not significant unless accepted.
            sub.item(PduDecoder.ITEM_TRANSFER_SYNTAX, pc.transferSyntax() == null ? new byte[0] : ascii(pc.transferSyntax()));
            b.item(PduDecoder.ITEM_PRESENTATION_CONTEXT_AC, sub.bytes());
        }
        userInformation(b, ac.userInformation());
        return b.finish();
    }

    private static Buf fixed(int type, int version, String called, String calling, String appContext) {
        Buf b = new Buf(type);
        b.u16(version).u16(0);
        b.bytes(aeTitle(called)).bytes(aeTitle(calling)).bytes(new byte[32]);
        b.item(PduDecoder.ITEM_APPLICATION_CONTEXT, ascii(appContext));
        return b;
    }

    private static void userInformation(Buf b, UserInformation ui) {
        Buf sub = new Buf();
        if (ui.maxPduLength() >= 0) {
            byte[] v = new byte[4];
            putInt(v, 0, (int) ui.maxPduLength());
            sub.item(PduDecoder.SUB_MAXIMUM_LENGTH, v);
        }
        if (ui.implementationClassUid() != null) sub.item(PduDecoder.SUB_IMPLEMENTATION_CLASS_UID, ascii(ui.implementationClassUid()));
        for (RoleSelection r : ui.roleSelections()) { // in the order of PS3.7 Table D.3-1: before the version name
            Buf v = new Buf();
            byte[] uid = ascii(r.sopClassUid());
            v.u16(uid.length).bytes(uid).u8(r.scuRole() ? 1 : 0).u8(r.scpRole() ? 1 : 0);
            sub.item(PduDecoder.SUB_ROLE_SELECTION, v.bytes());
        }
        if (ui.implementationVersionName() != null) sub.item(PduDecoder.SUB_IMPLEMENTATION_VERSION_NAME, ascii(ui.implementationVersionName()));
        UserIdentity id = ui.userIdentity();
        if (id != null) {
            Buf v = new Buf();
            v.u8(id.type()).u8(id.positiveResponseRequested() ? 1 : 0);
            v.u16(id.primaryField().length).bytes(id.primaryField());
            v.u16(id.secondaryField().length).bytes(id.secondaryField());
            sub.item(PduDecoder.SUB_USER_IDENTITY_RQ, v.bytes());
        }
        if (ui.identityResponse() != null) {
            Buf v = new Buf();
            v.u16(ui.identityResponse().length).bytes(ui.identityResponse());
            sub.item(PduDecoder.SUB_USER_IDENTITY_AC, v.bytes());
        }
        b.item(PduDecoder.ITEM_USER_INFORMATION, sub.bytes());
    }

    private static byte[] aeTitle(String ae) {
        byte[] out = new byte[16];
        Arrays.fill(out, (byte) ' ');
        byte[] s = ae.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(s, 0, out, 0, Math.min(16, s.length));
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** A growing big-endian buffer; with a PDU type it reserves the 6-byte PDU header and fills it in at the end. */
    private static final class Buf {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        private final int type;

        Buf() { this.type = -1; }

        Buf(int type) {
            this.type = type;
            out.write(type);
            out.write(0);
            out.writeBytes(new byte[4]);
        }

        Buf u8(int v) { out.write(v); return this; }

        Buf u16(int v) { out.write(v >>> 8); out.write(v); return this; }

        Buf u32(int v) { u16(v >>> 16); return u16(v & 0xFFFF); }

        Buf bytes(byte[] b) { out.writeBytes(b); return this; }

        Buf item(int itemType, byte[] value) {
            if (value.length > 0xFFFF) throw new IllegalArgumentException("item value of " + value.length + " bytes exceeds 65535");
            return u8(itemType).u8(0).u16(value.length).bytes(value);
        }

        byte[] bytes() { return out.toByteArray(); }

        byte[] finish() {
            byte[] b = out.toByteArray();
            if (type >= 0) putInt(b, 2, b.length - 6);
            return b;
        }
    }
}
