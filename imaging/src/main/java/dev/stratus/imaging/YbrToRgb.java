package dev.stratus.imaging;

/**
 * YCbCr (PS3.3 C.7.6.3.1.2 YBR_FULL) to RGB with the fixed-point tables of the IJG library (jdcolor.c), so that the
 * result is the one DCMTK and libjpeg-based viewers give, bit for bit.
 */
final class YbrToRgb {
    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256], CB_B = new int[256], CR_G = new int[256], CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private YbrToRgb() {}

    private static int fix(double v) {
        return (int) (v * (1L << SCALEBITS) + 0.5);
    }

    /** In place, on interleaved 8-bit Y, Cb, Cr triples. */
    static void convert(int[] s) {
        for (int i = 0; i + 2 < s.length; i += 3) {
            int y = s[i], cb = s[i + 1] & 0xFF, cr = s[i + 2] & 0xFF;
            s[i] = clamp(y + CR_R[cr]);
            s[i + 1] = clamp(y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
            s[i + 2] = clamp(y + CB_B[cb]);
        }
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
