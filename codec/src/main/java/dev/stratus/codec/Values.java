package dev.stratus.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Decoding and encoding of element values (PS3.5 6.2): strings, binary numbers, padding. */
public final class Values {
    private Values() {}

    /** Splits an ASCII multi-valued string (used for (0008,0005) before any character set is known). */
    public static String[] splitAscii(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        String[] parts = s.split("\\\\", -1);
        for (int i = 0; i < parts.length; i++) parts[i] = parts[i].strip();
        return parts;
    }

    /** Decoded values of a string element, trimmed of the padding PS3.5 6.2 calls insignificant for its VR. */
    public static String[] strings(ValueElement v, SpecificCharacterSet cs) {
        byte[] b = v.bytes();
        if (b.length == 0) return new String[0];
        VR vr = v.vr();
        String text = cs.decode(b, 0, b.length, vr);
        if (vr.kind() == VR.Kind.TEXT) {
            return new String[] {trimEnd(text)};
        }
        String[] parts = splitValues(text);
        for (int i = 0; i < parts.length; i++) parts[i] = trim(parts[i], vr);
        return parts;
    }

    private static String[] splitValues(String text) {
        if (text.indexOf('\\') < 0) return new String[] {text};
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out.toArray(new String[0]);
    }

    /** Leading spaces are significant only for PN, LT, ST, UT, UC (trailing ones never are). */
    static String trim(String s, VR vr) {
        String t = trimEnd(s);
        if (vr == VR.PN || vr == VR.UC) return t;
        int start = 0;
        while (start < t.length() && t.charAt(start) == ' ') start++;
        return start == 0 ? t : t.substring(start);
    }

    static String trimEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0)) end--;
        return end == s.length() ? s : s.substring(0, end);
    }

    /** Integer values of a binary integer element (US, SS, UL, SL, SV, UV, AT) or of an IS string. */
    public static long[] longs(ValueElement v, SpecificCharacterSet cs) {
        byte[] b = v.bytes();
        VR vr = v.vr();
        switch (vr) {
            case US, OW -> {
                long[] r = new long[b.length / 2];
                for (int i = 0; i < r.length; i++) r[i] = u16(b, i * 2);
                return r;
            }
            case SS -> {
                long[] r = new long[b.length / 2];
                for (int i = 0; i < r.length; i++) r[i] = (short) u16(b, i * 2);
                return r;
            }
            case UL, OL -> {
                long[] r = new long[b.length / 4];
                for (int i = 0; i < r.length; i++) r[i] = i32(b, i * 4) & 0xFFFFFFFFL;
                return r;
            }
            case SL -> {
                long[] r = new long[b.length / 4];
                for (int i = 0; i < r.length; i++) r[i] = i32(b, i * 4);
                return r;
            }
            case AT -> {
                long[] r = new long[b.length / 4];
                for (int i = 0; i < r.length; i++) r[i] = ((long) u16(b, i * 4) << 16) | u16(b, i * 4 + 2);
                return r;
            }
            case SV, UV, OV -> {
                long[] r = new long[b.length / 8];
                for (int i = 0; i < r.length; i++) r[i] = i64(b, i * 8);
                return r;
            }
            case IS -> {
                String[] s = strings(v, cs);
                List<Long> r = new ArrayList<>();
                for (String x : s) {
                    if (x.isEmpty()) continue;
                    try {
                        r.add(Long.parseLong(x.startsWith("+") ? x.substring(1) : x));
                    } catch (NumberFormatException e) {
                        // a malformed IS value is not an integer; callers see it as absent
                    }
                }
                return r.stream().mapToLong(Long::longValue).toArray();
            }
            default -> {
                return new long[0];
            }
        }
    }

    /** Values of an FL/FD/OF/OD element. */
    public static double[] doubles(ValueElement v) {
        byte[] b = v.bytes();
        return switch (v.vr()) {
            case FL, OF -> {
                double[] r = new double[b.length / 4];
                for (int i = 0; i < r.length; i++) r[i] = Float.intBitsToFloat(i32(b, i * 4));
                yield r;
            }
            case FD, OD -> {
                double[] r = new double[b.length / 8];
                for (int i = 0; i < r.length; i++) r[i] = Double.longBitsToDouble(i64(b, i * 8));
                yield r;
            }
            default -> new double[0];
        };
    }

    public static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    public static int i32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    public static long i64(byte[] b, int off) {
        return (i32(b, off) & 0xFFFFFFFFL) | ((long) i32(b, off + 4) << 32);
    }

    /** Pads to even length with the VR's padding byte (PS3.5 6.2: values have even length). */
    public static byte[] padded(byte[] bytes, VR vr) {
        if ((bytes.length & 1) == 0) return bytes;
        byte[] r = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, r, 0, bytes.length);
        r[bytes.length] = vr.padding();
        return r;
    }

    public static byte[] encodeInts(VR vr, int... values) {
        int n = vr.bytesPerNumber();
        if (n != 2 && n != 4) throw new IllegalArgumentException("not a 16/32-bit integer VR: " + vr);
        byte[] b = new byte[values.length * n];
        for (int i = 0; i < values.length; i++) {
            int x = values[i];
            for (int k = 0; k < n; k++) b[i * n + k] = (byte) (x >>> (8 * k));
        }
        if (vr == VR.AT) {
            for (int i = 0; i < values.length; i++) {
                int x = values[i];
                b[i * 4] = (byte) (x >>> 16);
                b[i * 4 + 1] = (byte) (x >>> 24);
                b[i * 4 + 2] = (byte) x;
                b[i * 4 + 3] = (byte) (x >>> 8);
            }
        }
        return b;
    }

    /**
     * Reverses the byte order of each number in place: 2-byte units for AT (group and element are each
     * 16-bit), the VR's number size otherwise. Opaque VRs (OB, UN) and strings are left alone.
     */
    public static void swapInPlace(byte[] b, VR vr) {
        int n = vr == VR.AT ? 2 : vr.bytesPerNumber();
        if (n < 2) return;
        int end = b.length - b.length % n;
        for (int i = 0; i < end; i += n) {
            for (int lo = i, hi = i + n - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }
}
