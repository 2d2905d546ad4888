package dev.stratus.dimse.message;

import dev.stratus.codec.Tag;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DIMSE command set (PS3.7 6.3, Annex E): elements of group 0000, always encoded in Implicit VR Little
 * Endian, starting with Command Group Length. Values are kept as the bytes on the wire; the few VRs of
 * the command dictionary are known to the typed accessors. Elements of other groups (such as the tenant
 * attribute (1211,1217) that some senders add) are kept too, after group 0000.
 */
public final class CommandSet {
    /** Command Data Set Type value meaning that no data set follows (PS3.7 E.1); any other value means one does. */
    public static final int NO_DATA_SET = 0x0101;
    /** What this implementation sends when a data set follows. */
    public static final int DATA_SET_PRESENT = 0x0000;

    /** Error Comment is LO: at most 64 characters (PS3.7 C.4 and PS3.5 6.2). */
    private static final int ERROR_COMMENT_MAX = 64;

    private final TreeMap<Long, byte[]> elements = new TreeMap<>(); // tag as unsigned long: group 0000 sorts first

    private static long key(int tag) { return tag & 0xFFFFFFFFL; }

    public boolean contains(int tag) { return elements.containsKey(key(tag)); }

    public byte[] bytes(int tag) { return elements.get(key(tag)); }

    /** A US value, or -1 if absent or not 2 bytes. */
    public int getUS(int tag) {
        byte[] v = bytes(tag);
        return v == null || v.length != 2 ? -1 : (v[0] & 0xFF) | (v[1] & 0xFF) << 8;
    }

    /** A string value without its padding (trailing NUL or spaces, leading spaces), or null if absent or empty. */
    public String getString(int tag) {
        byte[] v = bytes(tag);
        if (v == null) return null;
        String s = new String(v, StandardCharsets.ISO_8859_1);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == 0 || s.charAt(end - 1) == ' ')) end--;
        s = s.substring(0, end).stripLeading();
        return s.isEmpty() ? null : s;
    }

    public int commandField() { return getUS(Tag.CommandField); }

    public int messageId() { return getUS(Tag.MessageID); }

    public boolean hasDataSet() { return getUS(Tag.CommandDataSetType) != NO_DATA_SET; }

    public int status() { return getUS(Tag.Status); }

    public CommandSet putUS(int tag, int value) {
        elements.put(key(tag), new byte[] {(byte) value, (byte) (value >>> 8)});
        return this;
    }

    /** UI: padded with NUL to even length. */
    public CommandSet putUid(int tag, String uid) {
        return putPadded(tag, uid, (byte) 0);
    }

    /** AE, LO, CS and the like: padded with a space to even length. */
    public CommandSet putText(int tag, String text) {
        return putPadded(tag, text, (byte) ' ');
    }

    public CommandSet putErrorComment(String comment) {
        String c = comment.length() > ERROR_COMMENT_MAX ? comment.substring(0, ERROR_COMMENT_MAX) : comment;
        StringBuilder ascii = new StringBuilder(c.length()); // LO in the default repertoire: no backslash, no controls
        for (char ch : c.toCharArray()) ascii.append(ch >= 0x20 && ch < 0x7F && ch != '\\' ? ch : '?');
        return putText(Tag.ErrorComment, ascii.toString());
    }

    /** AT: group then element, each little endian. */
    public CommandSet putAttributeTag(int tag, int value) {
        elements.put(key(tag), new byte[] {(byte) (value >>> 16), (byte) (value >>> 24), (byte) value, (byte) (value >>> 8)});
        return this;
    }

    public CommandSet putBytes(int tag, byte[] value) {
        elements.put(key(tag), value);
        return this;
    }

    private CommandSet putPadded(int tag, String s, byte pad) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        if ((b.length & 1) == 1) {
            b = java.util.Arrays.copyOf(b, b.length + 1);
            b[b.length - 1] = pad;
        }
        elements.put(key(tag), b);
        return this;
    }

    /** Implicit VR Little Endian with a Command Group Length computed over the group 0000 elements that follow it. */
    public byte[] encode() {
        int groupLength = 0;
        for (Map.Entry<Long, byte[]> e : elements.entrySet()) {
            if (e.getKey() != Tag.CommandGroupLength && e.getKey() >>> 16 == 0) groupLength += 8 + e.getValue().length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(groupLength + 12);
        writeElement(out, Tag.CommandGroupLength, new byte[] {(byte) groupLength, (byte) (groupLength >>> 8), (byte) (groupLength >>> 16), (byte) (groupLength >>> 24)});
        for (Map.Entry<Long, byte[]> e : elements.entrySet()) {
            if (e.getKey() != Tag.CommandGroupLength) writeElement(out, (int) (long) e.getKey(), e.getValue());
        }
        return out.toByteArray();
    }

    private static void writeElement(ByteArrayOutputStream out, int tag, byte[] value) {
        out.write(tag >>> 16);
        out.write(tag >>> 24);
        out.write(tag);
        out.write(tag >>> 8);
        int len = value.length;
        out.write(len);
        out.write(len >>> 8);
        out.write(len >>> 16);
        out.write(len >>> 24);
        out.writeBytes(value);
    }

    /**
     * Decodes a command set. Every element must fit in the bytes given, no undefined length is allowed
     * (a command set has no sequences), and a Command Group Length, when present, must be the true length.
     */
    public static CommandSet decode(byte[] b) throws MalformedCommandException {
        CommandSet cs = new CommandSet();
        int pos = 0;
        long groupEnd = -1;
        while (pos < b.length) {
            if (b.length - pos < 8) throw new MalformedCommandException("element header cut short at offset " + pos);
            int tag = ((b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8) << 16 | (b[pos + 2] & 0xFF) | (b[pos + 3] & 0xFF) << 8;
            long len = (b[pos + 4] & 0xFFL) | (b[pos + 5] & 0xFFL) << 8 | (b[pos + 6] & 0xFFL) << 16 | (b[pos + 7] & 0xFFL) << 24;
            if (len > b.length - pos - 8) {
                throw new MalformedCommandException(String.format("element (%04X,%04X) of length %d overruns the command set", tag >>> 16, tag & 0xFFFF, len));
            }
            if (cs.contains(tag)) throw new MalformedCommandException(String.format("element (%04X,%04X) given twice", tag >>> 16, tag & 0xFFFF));
            byte[] v = java.util.Arrays.copyOfRange(b, pos + 8, pos + 8 + (int) len);
            if (tag == Tag.CommandGroupLength) {
                if (len != 4) throw new MalformedCommandException("Command Group Length is not 4 bytes");
                groupEnd = pos + 12 + ((v[0] & 0xFFL) | (v[1] & 0xFFL) << 8 | (v[2] & 0xFFL) << 16 | (v[3] & 0xFFL) << 24);
            }
            cs.elements.put(key(tag), v);
            pos += 8 + (int) len;
            if (tag >>> 16 == 0 && groupEnd >= 0 && pos > groupEnd) {
                throw new MalformedCommandException("Command Group Length says group 0000 ends at " + groupEnd + " but an element runs to " + pos);
            }
        }
        if (groupEnd >= 0) {
            long actualEnd = 0;
            int p = 0;
            for (Map.Entry<Long, byte[]> e : cs.elements.entrySet()) {
                p += 8 + e.getValue().length;
                if (e.getKey() >>> 16 == 0) actualEnd = p;
            }
            if (actualEnd != groupEnd) throw new MalformedCommandException("Command Group Length " + (groupEnd - 12) + " does not match the group's " + (actualEnd - 12) + " bytes");
        }
        if (cs.commandField() < 0) throw new MalformedCommandException("no Command Field (0000,0100)");
        return cs;
    }

    @Override
    public String toString() {
        return CommandField.name(commandField()) + "[id=" + (contains(Tag.MessageID) ? messageId() : getUS(Tag.MessageIDBeingRespondedTo)) + "]";
    }
}
