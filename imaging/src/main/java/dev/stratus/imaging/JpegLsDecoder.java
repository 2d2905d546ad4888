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
 * JPEG-LS lossless and near-lossless (ITU T.87) through CharLS 2 (Debian libcharls2) over the FFM API. The header is
 * read and checked against the data set before CharLS decodes into a buffer of exactly the frame's size, whose length
 * it is given: a hostile stream can neither make it allocate nor write beyond.
 */
public final class JpegLsDecoder implements FrameDecoder {
    static final NativeLibrary CHARLS = NativeLibrary.open("libcharls.so.2", "libcharls2");

    private static final MethodHandle CREATE, DESTROY, SET_SOURCE, READ_HEADER, FRAME_INFO, INTERLEAVE, DECODE, MESSAGE;

    static {
        if (CHARLS.available()) {
            CREATE = CHARLS.function("charls_jpegls_decoder_create", FunctionDescriptor.of(ADDRESS));
            DESTROY = CHARLS.function("charls_jpegls_decoder_destroy", FunctionDescriptor.ofVoid(ADDRESS));
            SET_SOURCE = CHARLS.function("charls_jpegls_decoder_set_source_buffer", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
            READ_HEADER = CHARLS.function("charls_jpegls_decoder_read_header", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            FRAME_INFO = CHARLS.function("charls_jpegls_decoder_get_frame_info", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            INTERLEAVE = CHARLS.function("charls_jpegls_decoder_get_interleave_mode", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            DECODE = CHARLS.function("charls_jpegls_decoder_decode_to_buffer", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
            MESSAGE = CHARLS.function("charls_get_error_message", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        } else {
            CREATE = DESTROY = SET_SOURCE = READ_HEADER = FRAME_INFO = INTERLEAVE = DECODE = MESSAGE = null;
        }
    }

    public static boolean available() { return CHARLS.available(); }

    @Override
    public DecodedFrame decode(byte[] encoded, ImagePixel pixel) throws IOException {
        if (!CHARLS.available()) throw new UnsupportedPixelDataException("JPEG-LS needs CharLS: " + CHARLS.absence());
        if (!endsWithEoi(encoded)) {
            // CharLS 2.4 spends seconds on a stream that stops short (20 s for 2 KB measured): refuse it unread
            throw new PixelDataException("JPEG-LS frame of " + encoded.length + " bytes does not end with an EOI marker (truncated)");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocate(Math.max(1, encoded.length));
            MemorySegment.copy(encoded, 0, source, ValueLayout.JAVA_BYTE, 0, encoded.length);
            MemorySegment decoder = (MemorySegment) CREATE.invokeExact();
            if (decoder.equals(MemorySegment.NULL)) throw new IOException("CharLS could not create a decoder (out of memory)");
            try {
                check((int) SET_SOURCE.invokeExact(decoder, source, (long) encoded.length), "reading the stream");
                check((int) READ_HEADER.invokeExact(decoder), "reading the header");
                MemorySegment info = arena.allocate(16, 4); // charls_frame_info: width, height, bits_per_sample, component_count
                check((int) FRAME_INFO.invokeExact(decoder, info), "reading the frame information");
                int width = info.get(JAVA_INT, 0), height = info.get(JAVA_INT, 4), bits = info.get(JAVA_INT, 8), components = info.get(JAVA_INT, 12);
                if (width != pixel.columns() || height != pixel.rows() || components != pixel.samplesPerPixel()
                        || bits > pixel.bitsAllocated() || pixel.bitsAllocated() > 16) {
                    throw new PixelDataException("JPEG-LS frame is " + width + "x" + height + " with " + components + " component(s) of "
                            + bits + " bits; the data set says " + pixel);
                }
                MemorySegment mode = arena.allocate(JAVA_INT);
                check((int) INTERLEAVE.invokeExact(decoder, mode), "reading the interleave mode");
                int bytes = bits <= 8 ? 1 : 2;
                if (bytes != pixel.bytesPerSample()) {
                    throw new PixelDataException("JPEG-LS frame has " + bits + "-bit samples; Bits Allocated is " + pixel.bitsAllocated());
                }
                long size = (long) width * height * components * bytes;
                MemorySegment target = arena.allocate(size);
                check((int) DECODE.invokeExact(decoder, target, size, 0), "decoding");
                byte[] out = target.toArray(ValueLayout.JAVA_BYTE);
                // interleave mode none (0) decodes component after component: make it pixel by pixel
                if (components > 1 && mode.get(JAVA_INT, 0) == 0) out = Planes.interleave(out, pixel.pixels(), components, bytes);
                return new DecodedFrame(out, pixel.withPlanarConfiguration(0));
            } finally {
                DESTROY.invokeExact(decoder);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("CharLS call failed", t);
        }
    }

    /** T.87 ends a stream with EOI (FF D9); DICOM pads a fragment to even length with one byte. */
    static boolean endsWithEoi(byte[] b) {
        int end = b.length;
        if (end > 0 && b[end - 1] == 0) end--;
        return end >= 4 && (b[end - 2] & 0xFF) == 0xFF && (b[end - 1] & 0xFF) == 0xD9;
    }

    private static void check(int error, String step) throws Throwable {
        if (error != 0) {
            MemorySegment text = (MemorySegment) MESSAGE.invokeExact(error);
            String message = text.equals(MemorySegment.NULL) ? "error " + error : text.reinterpret(1024).getString(0);
            throw new PixelDataException("JPEG-LS frame cannot be decoded (" + step + "): " + message);
        }
    }
}
