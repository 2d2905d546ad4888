package dev.stratus.imaging;

/**
 * PS3.18 8.3.5.1.3 viewport: the rendered image fits {@code width} x {@code height} keeping its aspect ratio; an optional
 * source region (sx, sy, sw, sh; sw or sh 0: to the edge) is cut from the frame first.
 */
public record Viewport(int width, int height, int sx, int sy, int sw, int sh) {
    /** Larger viewports are refused: the rendered image is held in memory. */
    public static final int MAX_EDGE = 8192;

    public Viewport {
        if (width < 1 || height < 1 || width > MAX_EDGE || height > MAX_EDGE) {
            throw new IllegalArgumentException("viewport " + width + "x" + height + " must be between 1 and " + MAX_EDGE + " on each side");
        }
        if (sx < 0 || sy < 0 || sw < 0 || sh < 0) throw new IllegalArgumentException("viewport source region must not be negative (flipping is not supported)");
    }

    public static Viewport of(int width, int height) {
        return new Viewport(width, height, 0, 0, 0, 0);
    }
}
