package dev.stratus.app.config;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.module.SimpleModule;

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

    static SimpleModule module() {
        SimpleModule m = new SimpleModule("stratus-settings");
        ValueDeserializer<Integer> whole32 = scalar("a whole number", t -> Math.toIntExact(wholeNumber(t)));
        ValueDeserializer<Long> whole64 = scalar("a whole number", SettingFormats::wholeNumber);
        ValueDeserializer<Boolean> flag = scalar("true or false", SettingFormats::flag);
        m.addDeserializer(int.class, whole32).addDeserializer(Integer.class, whole32);
        m.addDeserializer(long.class, whole64).addDeserializer(Long.class, whole64);
        m.addDeserializer(boolean.class, flag).addDeserializer(Boolean.class, flag);
        m.addDeserializer(Duration.class, scalar("a number of seconds, 0 or more", SettingFormats::seconds));
        m.addDeserializer(Path.class, scalar("a path", Path::of));
        return m;
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

    /** A scalar read as text and converted, any failure (NumberFormatException, ArithmeticException…) named as "must be {kind}". */
    private static <T> ValueDeserializer<T> scalar(String kind, Function<String, T> convert) {
        return new ValueDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) {
                JsonToken token = p.currentToken();
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    throw new InvalidSetting(null, "must be " + kind + ", was a " + (token == JsonToken.START_ARRAY ? "list" : "mapping"));
                }
                String text = p.getString().strip();
                try {
                    return convert.apply(text);
                } catch (IllegalArgumentException | ArithmeticException e) { // InvalidPathException and NumberFormatException among them
                    throw new InvalidSetting(null, "must be " + kind + ", was '" + text + "'");
                }
            }
        };
    }
}
