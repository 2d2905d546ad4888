package dev.stratus.codec.json;

import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;

import java.math.BigInteger;
import java.util.List;
import java.util.function.Function;

/** JSON "Value" arrays of the binary VRs (AT, FL, FD, SL, SS, SV, UL, US, UV) to little-endian bytes. */
final class JsonBinaryValues {
    private JsonBinaryValues() {}

    private static final BigInteger MAX_UV = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    static byte[] encode(VR vr, List<?> values, Function<String, DicomJsonException> error) {
        int n = vr.bytesPerNumber();
        byte[] out = new byte[values.size() * n];
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v == null) throw error.apply("value " + i + " is null, but a " + vr + " value cannot be empty");
            long bits = switch (vr) {
                case AT -> tag(v, i, error);
                case FL -> Float.floatToRawIntBits(real(vr, v, i, error, true).floatValue());
                case FD -> Double.doubleToRawLongBits(real(vr, v, i, error, false).doubleValue());
                case SS -> integer(vr, v, i, Short.MIN_VALUE, Short.MAX_VALUE, error).longValue();
                case US -> integer(vr, v, i, 0, 0xFFFF, error).longValue();
                case SL -> integer(vr, v, i, Integer.MIN_VALUE, Integer.MAX_VALUE, error).longValue();
                case UL -> integer(vr, v, i, 0, 0xFFFFFFFFL, error).longValue();
                case SV -> integer(vr, v, i, Long.MIN_VALUE, Long.MAX_VALUE, error).longValue();
                case UV -> unsigned64(v, i, error);
                default -> throw error.apply("VR " + vr + " has no JSON Value encoding");
            };
            for (int k = 0; k < n; k++) out[i * n + k] = (byte) (bits >>> (8 * k));
        }
        return out;
    }

    /** F.2.3: "GGGGEEEE", stored as group then element, each little endian. */
    private static long tag(Object v, int i, Function<String, DicomJsonException> error) {
        if (v instanceof String s && JsonElementDecoder.parseTag(s) != -1) {
            int t = JsonElementDecoder.parseTag(s);
            return (Tag.group(t) & 0xFFFFL) | (long) Tag.element(t) << 16;
        }
        throw error.apply("AT value " + i + " must be a tag as 8 hexadecimal digits, found " + JsonTree.typeOf(v));
    }

    /** A JSON number, or one of the strings DicomJsonWriter writes for values JSON numbers cannot hold. */
    private static Number real(VR vr, Object v, int i, Function<String, DicomJsonException> error, boolean single) {
        // FL parsed straight to float: through double, rounding twice could change the last bit
        if (v instanceof JsonTree.Num n) return single ? (Number) Float.parseFloat(n.text()) : (Number) Double.parseDouble(n.text());
        if (v instanceof String s) {
            switch (s) {
                case "NaN": return single ? (Number) Float.NaN : (Number) Double.NaN;
                case "Infinity": return single ? (Number) Float.POSITIVE_INFINITY : (Number) Double.POSITIVE_INFINITY;
                case "-Infinity": return single ? (Number) Float.NEGATIVE_INFINITY : (Number) Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw error.apply(vr + " value " + i + " must be a number (or \"NaN\", \"Infinity\", \"-Infinity\"), found " + JsonTree.typeOf(v));
    }

    private static BigInteger integer(VR vr, Object v, int i, long min, long max, Function<String, DicomJsonException> error) {
        BigInteger x = exactInteger(vr, v, i, error);
        if (x.compareTo(BigInteger.valueOf(min)) < 0 || x.compareTo(BigInteger.valueOf(max)) > 0) {
            throw error.apply(vr + " value " + i + " (" + x + ") is outside " + min + ".." + max);
        }
        return x;
    }

    private static long unsigned64(Object v, int i, Function<String, DicomJsonException> error) {
        BigInteger x = exactInteger(VR.UV, v, i, error);
        if (x.signum() < 0 || x.compareTo(MAX_UV) > 0) throw error.apply("UV value " + i + " (" + x + ") is outside 0..2^64-1");
        return x.longValue();
    }

    /** SV and UV may be strings (F.2.3 note); the other integer VRs must be numbers. */
    private static BigInteger exactInteger(VR vr, Object v, int i, Function<String, DicomJsonException> error) {
        String text = v instanceof JsonTree.Num n ? n.text()
                : v instanceof String s && (vr == VR.SV || vr == VR.UV) ? s.strip() : null;
        if (text == null) throw error.apply(vr + " value " + i + " must be a number, found " + JsonTree.typeOf(v));
        try {
            return JsonNumbers.exactInteger(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw error.apply(vr + " value " + i + " (" + text + ") is not an integer");
        }
    }
}
