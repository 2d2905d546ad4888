package dev.stratus.imaging;

/**
 * A VOI window (PS3.3 C.11.2.1.2): center, width and function (LINEAR, LINEAR_EXACT, SIGMOID), mapping modality values
 * onto the output range.
 */
public record Window(double center, double width, String function) {
    public Window {
        function = function == null ? "LINEAR" : function.strip().toUpperCase(java.util.Locale.ROOT);
        if (!function.equals("LINEAR") && !function.equals("LINEAR_EXACT") && !function.equals("SIGMOID")) {
            throw new IllegalArgumentException("VOI LUT function '" + function + "' is not LINEAR, LINEAR_EXACT or SIGMOID");
        }
        if (!Double.isFinite(center) || !Double.isFinite(width)) throw new IllegalArgumentException("window center and width must be numbers");
        if (width < (function.equals("LINEAR") ? 1 : Double.MIN_VALUE)) {
            throw new IllegalArgumentException("window width " + width + " is too small for " + function + " (C.11.2.1.2)");
        }
    }

    /** The output (0..max) for a modality value x. */
    double apply(double x, double max) {
        return switch (function) {
            case "LINEAR" -> {
                double lo = center - 0.5 - (width - 1) / 2, hi = center - 0.5 + (width - 1) / 2;
                if (x <= lo) yield 0;
                if (x > hi) yield max;
                yield ((x - (center - 0.5)) / (width - 1) + 0.5) * max;
            }
            case "LINEAR_EXACT" -> {
                if (x <= center - width / 2) yield 0;
                if (x > center + width / 2) yield max;
                yield ((x - center) / width + 0.5) * max;
            }
            default -> max / (1 + Math.exp(-4 * (x - center) / width));
        };
    }
}
