package dev.stratus.imaging;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * JPEG-LS lossless (ITU T.87, near = 0) through CharLS 2 over the FFM API. Colour is sample-interleaved without colour
 * transform (PS3.5 A.4.3: RGB stays RGB); samples are masked to Bits Stored, which JPEG-LS codes as unsigned.
 */
public final class JpegLsEncoder implements FrameEncoder {
    private static final NativeLibrary CHARLS = JpegLsDecoder.CHARLS;
    private static final MethodHandle CREATE, DESTROY, FRAME_INFO, INTERLEAVE, ESTIMATE, DESTINATION, ENCODE, WRITTEN;

    static {
        if (CHARLS.available()) {
            CREATE = CHARLS.function("charls_jpegls_encoder_create", FunctionDescriptor.of(ADDRESS));
            DESTROY = CHARLS.function("charls_jpegls_encoder_destroy", FunctionDescriptor.ofVoid(ADDRESS));
            FRAME_INFO = CHARLS.function("charls_jpegls_encoder_set_frame_info", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            INTERLEAVE = CHARLS.function("charls_jpegls_encoder_set_interleave_mode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            ESTIMATE = CHARLS.function("charls_jpegls_encoder_get_estimated_destination_size", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            DESTINATION = CHARLS.function("charls_jpegls_encoder_set_destination_buffer", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
            ENCODE = CHARLS.function("charls_jpegls_encoder_encode_from_buffer", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
            WRITTEN = CHARLS.function("charls_jpegls_encoder_get_bytes_written", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        } else {
            CREATE = DESTROY = FRAME_INFO = INTERLEAVE = ESTIMATE = DESTINATION = ENCODE = WRITTEN = null;
        }
    }

    public static boolean available() { return CHARLS.available(); }

    @Override
    public ImagePixel encodedPixel(ImagePixel source) throws UnsupportedPixelDataException {
        if (!CHARLS.available()) throw new UnsupportedPixelDataException("JPEG-LS needs CharLS: " + CHARLS.absence());
        if (source.bitsAllocated() > 16 || source.bitsStored() < 2) {
            throw new UnsupportedPixelDataException("JPEG-LS codes 2 to 16 bits per sample; this image has " + source.bitsStored());
        }
        if (source.photometric().startsWith("YBR_FULL_422")) throw new UnsupportedPixelDataException("JPEG-LS of YBR_FULL_422 is not supported");
        return source.withPlanarConfiguration(0);
    }

    @Override
    public byte[] encode(DecodedFrame frame) throws IOException {
        ImagePixel p = frame.pixel();
        encodedPixel(p);
        byte[] pixels = frame.pixels();
        int bytes = p.bytesPerSample();
        if (p.samplesPerPixel() > 1 && p.planarConfiguration() == 1) pixels = Planes.interleave(pixels, p.pixels(), p.samplesPerPixel(), bytes);
        if (p.bitsStored() < p.bitsAllocated()) pixels = masked(pixels, bytes, p.bitsStored());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocate(pixels.length);
            MemorySegment.copy(pixels, 0, source, ValueLayout.JAVA_BYTE, 0, pixels.length);
            MemorySegment encoder = (MemorySegment) CREATE.invokeExact();
            if (encoder.equals(MemorySegment.NULL)) throw new IOException("CharLS could not create an encoder (out of memory)");
            try {
                MemorySegment info = arena.allocate(16, 4);
                info.set(JAVA_INT, 0, p.columns());
                info.set(JAVA_INT, 4, p.rows());
                info.set(JAVA_INT, 8, p.bitsStored());
                info.set(JAVA_INT, 12, p.samplesPerPixel());
                check((int) FRAME_INFO.invokeExact(encoder, info));
                if (p.samplesPerPixel() > 1) check((int) INTERLEAVE.invokeExact(encoder, 2)); // CHARLS_INTERLEAVE_MODE_SAMPLE
                MemorySegment size = arena.allocate(JAVA_LONG);
                check((int) ESTIMATE.invokeExact(encoder, size));
                long capacity = size.get(JAVA_LONG, 0);
                MemorySegment target = arena.allocate(capacity);
                check((int) DESTINATION.invokeExact(encoder, target, capacity));
                check((int) ENCODE.invokeExact(encoder, source, (long) pixels.length, 0));
                check((int) WRITTEN.invokeExact(encoder, size));
                byte[] out = target.asSlice(0, size.get(JAVA_LONG, 0)).toArray(ValueLayout.JAVA_BYTE);
                return (out.length & 1) == 1 ? java.util.Arrays.copyOf(out, out.length + 1) : out; // even fragment (A.4)
            } finally {
                DESTROY.invokeExact(encoder);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("CharLS call failed", t);
        }
    }

    private static byte[] masked(byte[] pixels, int bytes, int bitsStored) {
        byte[] out = pixels.clone();
        if (bytes == 1) {
            int mask = (1 << bitsStored) - 1;
            for (int i = 0; i < out.length; i++) out[i] = (byte) (out[i] & mask);
        } else {
            int highMask = (1 << (bitsStored - 8)) - 1;
            for (int i = 1; i < out.length; i += 2) out[i] = (byte) (out[i] & highMask);
        }
        return out;
    }

    private static void check(int error) throws PixelDataException {
        if (error != 0) throw new PixelDataException("JPEG-LS encoding failed: CharLS error " + error);
    }
}
