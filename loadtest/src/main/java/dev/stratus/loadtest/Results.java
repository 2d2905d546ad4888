package dev.stratus.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one run against one server, in order, saved as {@code key=value} lines. */
final class Results {
    private final Map<String, String> values = new LinkedHashMap<>();

    void put(String key, String value) { values.put(key, value); }

    void put(String key, long value) { values.put(key, Long.toString(value)); }

    void put(String key, double value) { values.put(key, String.format(Locale.ROOT, "%.3f", value)); }

    String get(String key) { return values.get(key); }

    /** The number under key, or NaN when absent or not a number. */
    double number(String key) {
        String v = values.get(key);
        if (v == null) return Double.NaN;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    Map<String, String> all() { return values; }

    /** Adds p50, p95, p99, mean, max and n of the samples (milliseconds) under {@code prefix}. */
    void latencies(String prefix, List<Double> millis) {
        if (millis.isEmpty()) return;
        double[] s = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        put(prefix + ".n", s.length);
        put(prefix + ".p50_ms", percentile(s, 50));
        put(prefix + ".p95_ms", percentile(s, 95));
        put(prefix + ".p99_ms", percentile(s, 99));
        put(prefix + ".mean_ms", Arrays.stream(s).average().orElse(Double.NaN));
        put(prefix + ".max_ms", s[s.length - 1]);
    }

    /** Nearest-rank percentile of sorted samples. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    void save(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (var e : values.entrySet()) lines.add(e.getKey() + "=" + e.getValue().replace('\n', ' '));
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    static Results load(Path file) throws IOException {
        Results r = new Results();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) r.values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return r;
    }
}
