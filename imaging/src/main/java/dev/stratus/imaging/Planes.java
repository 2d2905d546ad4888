package dev.stratus.imaging;

/** Colour-by-plane (Planar Configuration 1) to colour-by-pixel (0), and back. */
final class Planes {
    private Planes() {}

    static byte[] interleave(byte[] planar, int pixels, int samples, int bytesPerSample) {
        byte[] out = new byte[planar.length];
        for (int s = 0; s < samples; s++) {
            for (int p = 0; p < pixels; p++) {
                System.arraycopy(planar, (s * pixels + p) * bytesPerSample, out, (p * samples + s) * bytesPerSample, bytesPerSample);
            }
        }
        return out;
    }

    static byte[] separate(byte[] interleaved, int pixels, int samples, int bytesPerSample) {
        byte[] out = new byte[interleaved.length];
        for (int s = 0; s < samples; s++) {
            for (int p = 0; p < pixels; p++) {
                System.arraycopy(interleaved, (p * samples + s) * bytesPerSample, out, (s * pixels + p) * bytesPerSample, bytesPerSample);
            }
        }
        return out;
    }
}
