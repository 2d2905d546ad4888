package dev.stratus.app.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * How a setting's value is written, the same in the YAML file, the environment and on the command line (where every
 * value arrives as text): whole numbers with optional {@code _} between digits, true/false (also yes/no, on/off, 1/0),
 * durations as seconds ({@code 2.5}), paths. A value that is none of these is refused naming what it must be.
 */
final class SettingFormats {
    private SettingFormats() {}

    /** The value of a scalar setting of this type written as text; refused as "must be {kind}, was '{text}'". */
    static Object parse(Class<?> type, String text) {
        if (type == int.class || type == Integer.class) return convert("a whole number", text, t -> Math.toIntExact(wholeNumber(t)));
        if (type == long.class || type == Long.class) return convert("a whole number", text, SettingFormats::wholeNumber);
        if (type == boolean.class || type == Boolean.class) return convert("true or false", text, SettingFormats::flag);
        if (type == Duration.class) return convert("a number of seconds, 0 or more", text, SettingFormats::seconds);
        if (type == Path.class) return convert("a path", text, Path::of);
        throw new IllegalArgumentException("not a scalar setting type: " + type);
    }

    /** A list or mapping where a scalar of this type belongs, refused naming what it must be. */
    static InvalidSetting notScalar(Class<?> type, boolean list) {
        String kind = type == Duration.class ? "a number of seconds, 0 or more" : type == Path.class ? "a path"
                : type == boolean.class || type == Boolean.class ? "true or false" : "a whole number";
        return new InvalidSetting(null, "must be " + kind + ", was a " + (list ? "list" : "mapping"));
    }

    private static long wholeNumber(String text) {
        return Long.parseLong(text.replace("_", ""));
    }

    private static boolean flag(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(text);
        };
    }

    private static Duration seconds(String text) {
        BigDecimal s = new BigDecimal(text);
        if (s.signum() < 0) throw new IllegalArgumentException(text);
        return Duration.ofNanos(s.movePointRight(9).setScale(0, java.math.RoundingMode.DOWN).longValueExact());
    }

    /** Any failure (NumberFormatException, ArithmeticException, InvalidPathException…) named as "must be {kind}". */
    private static Object convert(String kind, String raw, Function<String, Object> convert) {
        String text = raw.strip();
        try {
            return convert.apply(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidSetting(null, "must be " + kind + ", was '" + text + "'");
        }
    }
}
