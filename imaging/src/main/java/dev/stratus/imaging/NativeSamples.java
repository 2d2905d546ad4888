package dev.stratus.imaging;

/** Samples as native little endian pixel data of the given layout (interleaved). */
final class NativeSamples {
    private NativeSamples() {}

    static byte[] pack(int[] samples, ImagePixel pixel) throws PixelDataException {
        int bytes = pixel.bytesPerSample();
        long expected = (long) pixel.pixels() * pixel.samplesPerPixel();
        if (samples.length != expected) throw new PixelDataException("decoder gave " + samples.length + " samples; " + pixel + " has " + expected);
        byte[] out = new byte[pixel.frameBytes()];
        switch (bytes) {
            case 1 -> {
                for (int i = 0; i < samples.length; i++) out[i] = (byte) samples[i];
            }
            case 2 -> {
                for (int i = 0, o = 0; i < samples.length; i++, o += 2) {
                    out[o] = (byte) samples[i];
                    out[o + 1] = (byte) (samples[i] >> 8);
                }
            }
            default -> {
                for (int i = 0, o = 0; i < samples.length; i++, o += 4) {
                    int v = samples[i];
                    out[o] = (byte) v;
                    out[o + 1] = (byte) (v >> 8);
                    out[o + 2] = (byte) (v >> 16);
                    out[o + 3] = (byte) (v >> 24);
                }
            }
        }
        return out;
    }
}
