package dev.stratus.codec.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** IS and DS text to and from JSON number text (PS3.5 Table 6.2-1 syntax versus RFC 8259 grammar). */
final class JsonNumbers {
    private JsonNumbers() {}

    private static final Pattern DS = Pattern.compile("([+-]?)(\\d*)(?:\\.(\\d*))?([eE][+-]?\\d+)?");
    private static final Pattern IS = Pattern.compile("([+-]?)(\\d+)");
    private static final int DS_MAX = 16;

    /** A trimmed DS value as a JSON number ("+.5" gives "0.5", "5." gives "5"), or null if it is not a decimal number. */
    static String decimal(String ds) {
        if (isJsonNumber(ds, true)) return ds; // most values: what the pattern below would give back unchanged
        Matcher m = DS.matcher(ds);
        if (!m.matches()) return null;
        String intPart = m.group(2), frac = m.group(3), exp = m.group(4);
        if (intPart.isEmpty() && (frac == null || frac.isEmpty())) return null;
        StringBuilder sb = new StringBuilder(ds.length() + 1);
        if (m.group(1).equals("-")) sb.append('-');
        sb.append(stripLeadingZeros(intPart));
        if (frac != null && !frac.isEmpty()) sb.append('.').append(frac);
        if (exp != null) sb.append(exp);
        return sb.toString();
    }

    /** A trimmed IS value as a JSON number ("+007" gives "7"), or null if it is not an integer. */
    static String integer(String is) {
        if (isJsonNumber(is, false)) return is;
        Matcher m = IS.matcher(is);
        if (!m.matches()) return null;
        return (m.group(1).equals("-") ? "-" : "") + stripLeadingZeros(m.group(2));
    }

    /**
     * Whether {@code s} is already a JSON number (RFC 8259: -?(0|[1-9]digits)(.digits)?([eE][+-]?digits)?), with a
     * fraction and exponent only when {@code decimal}: the series metadata of thousands of instances matched each
     * IS and DS value with a regular expression that gives such a value back as it is.
     */
    static boolean isJsonNumber(String s, boolean decimal) {
        int n = s.length(), i = 0;
        if (i < n && s.charAt(i) == '-') i++;
        int digits = i;
        while (i < n && isDigit(s.charAt(i))) i++;
        if (i == digits || s.charAt(digits) == '0' && i - digits > 1) return false;
        if (!decimal) return i == n;
        if (i < n && s.charAt(i) == '.') {
            int frac = ++i;
            while (i < n && isDigit(s.charAt(i))) i++;
            if (i == frac) return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int exp = i;
            while (i < n && isDigit(s.charAt(i))) i++;
            if (i == exp) return false;
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') i++;
        return digits.isEmpty() ? "0" : digits.substring(i);
    }

    /** The integer a number's text denotes ("1e2" is 100); throws ArithmeticException if not one or absurdly large. */
    static BigInteger exactInteger(String text) {
        BigDecimal d = new BigDecimal(text);
        // guard before expanding: "1e999999999" would otherwise allocate a billion digits
        if (d.signum() != 0 && d.precision() - d.scale() > 40) throw new ArithmeticException("too large");
        return d.toBigIntegerExact();
    }

    /** JSON number text as a DS value of at most 16 characters, rounding only when the text is longer. */
    static String toDS(String json) {
        if (json.length() <= DS_MAX) return json;
        // "-0.12345678901234" is one too long, but DS allows "-.12345678901234": the same number, no rounding
        String noZero = json.replaceFirst("^(-?)0\\.", "$1.");
        if (noZero.length() <= DS_MAX) return noZero;
        BigDecimal d = new BigDecimal(json);
        for (int digits = DS_MAX; digits > 0; digits--) {
            BigDecimal r = d.round(new MathContext(digits)).stripTrailingZeros();
            String plain = r.toPlainString();
            if (plain.length() <= DS_MAX) return plain;
            String sci = r.toString().replace("E+", "E");
            if (sci.length() <= DS_MAX) return sci;
        }
        throw new IllegalArgumentException("cannot fit " + json + " in a DS value");
    }
}
