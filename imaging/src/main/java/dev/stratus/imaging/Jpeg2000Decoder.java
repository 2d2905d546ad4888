package dev.stratus.imaging;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * JPEG 2000 Part 1 (lossless and lossy) and High-Throughput JPEG 2000 (Part 15) through OpenJPEG 2.5 (Debian
 * libopenjp2-7) over the FFM API. The frame is handed over as a memory stream that knows its length; the header is
 * checked against the data set before OpenJPEG decodes (and allocates for) the image. A reversible or irreversible
 * colour transform is undone by OpenJPEG, so YBR_RCT and YBR_ICT become RGB (PS3.5 8.2.4).
 */
public final class Jpeg2000Decoder implements FrameDecoder {
    static final NativeLibrary OPENJPEG = NativeLibrary.open("libopenjp2.so.7", "libopenjp2-7");
    private static final int CODEC_J2K = 0, CODEC_JP2 = 2;
    /** sizeof(opj_dparameters_t) is 8240 bytes in OpenJPEG 2.5; room to spare. */
    private static final long DPARAMETERS_BYTES = 16 * 1024;
    /** The stream's user data: position and length (8 bytes each) before the bytes themselves. */
    private static final long DATA = 16;

    private static final MethodHandle CREATE, DEFAULTS, SETUP, STREAM, SET_READ, SET_SKIP, SET_SEEK, SET_USER_DATA, SET_LENGTH,
            READ_HEADER, DECODE, END, STREAM_DESTROY, CODEC_DESTROY, IMAGE_DESTROY, SET_ERROR_HANDLER;
    private static final MemorySegment READ_FN, SKIP_FN, SEEK_FN, ERROR_FN;
    private static final ThreadLocal<StringBuilder> ERRORS = ThreadLocal.withInitial(StringBuilder::new);

    static {
        if (OPENJPEG.available()) {
            CREATE = OPENJPEG.function("opj_create_decompress", FunctionDescriptor.of(ADDRESS, JAVA_INT));
            DEFAULTS = OPENJPEG.function("opj_set_default_decoder_parameters", FunctionDescriptor.ofVoid(ADDRESS));
            SETUP = OPENJPEG.function("opj_setup_decoder", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            STREAM = OPENJPEG.function("opj_stream_create", FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_INT));
            SET_READ = OPENJPEG.function("opj_stream_set_read_function", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
            SET_SKIP = OPENJPEG.function("opj_stream_set_skip_function", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
            SET_SEEK = OPENJPEG.function("opj_stream_set_seek_function", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
            SET_USER_DATA = OPENJPEG.function("opj_stream_set_user_data", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
            SET_LENGTH = OPENJPEG.function("opj_stream_set_user_data_length", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG));
            READ_HEADER = OPENJPEG.function("opj_read_header", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
            DECODE = OPENJPEG.function("opj_decode", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
            END = OPENJPEG.function("opj_end_decompress", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            STREAM_DESTROY = OPENJPEG.function("opj_stream_destroy", FunctionDescriptor.ofVoid(ADDRESS));
            CODEC_DESTROY = OPENJPEG.function("opj_destroy_codec", FunctionDescriptor.ofVoid(ADDRESS));
            IMAGE_DESTROY = OPENJPEG.function("opj_image_destroy", FunctionDescriptor.ofVoid(ADDRESS));
            SET_ERROR_HANDLER = OPENJPEG.function("opj_set_error_handler", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                Linker linker = Linker.nativeLinker();
                READ_FN = linker.upcallStub(l.findStatic(Jpeg2000Decoder.class, "read",
                        MethodType.methodType(long.class, MemorySegment.class, long.class, MemorySegment.class)),
                        FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS), Arena.global());
                SKIP_FN = linker.upcallStub(l.findStatic(Jpeg2000Decoder.class, "skip",
                        MethodType.methodType(long.class, long.class, MemorySegment.class)),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS), Arena.global());
                SEEK_FN = linker.upcallStub(l.findStatic(Jpeg2000Decoder.class, "seek",
                        MethodType.methodType(int.class, long.class, MemorySegment.class)),
                        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS), Arena.global());
                ERROR_FN = linker.upcallStub(l.findStatic(Jpeg2000Decoder.class, "error",
                        MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class)),
                        FunctionDescriptor.ofVoid(ADDRESS, ADDRESS), Arena.global());
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        } else {
            CREATE = DEFAULTS = SETUP = STREAM = SET_READ = SET_SKIP = SET_SEEK = SET_USER_DATA = SET_LENGTH = READ_HEADER = DECODE = END
                    = STREAM_DESTROY = CODEC_DESTROY = IMAGE_DESTROY = SET_ERROR_HANDLER = null;
            READ_FN = SKIP_FN = SEEK_FN = ERROR_FN = null;
        }
    }

    public static boolean available() { return OPENJPEG.available(); }

    @Override
    public DecodedFrame decode(byte[] encoded, ImagePixel pixel) throws IOException {
        if (!OPENJPEG.available()) throw new UnsupportedPixelDataException("JPEG 2000 needs OpenJPEG: " + OPENJPEG.absence());
        int format = format(encoded);
        StringBuilder errors = ERRORS.get();
        errors.setLength(0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(DATA + encoded.length, 8);
            data.set(JAVA_LONG, 0, 0);
            data.set(JAVA_LONG, 8, encoded.length);
            MemorySegment.copy(encoded, 0, data, ValueLayout.JAVA_BYTE, DATA, encoded.length);
            MemorySegment codec = (MemorySegment) CREATE.invokeExact(format);
            MemorySegment stream = (MemorySegment) STREAM.invokeExact(64L * 1024, 1);
            MemorySegment imageRef = arena.allocate(ADDRESS);
            try {
                if (codec.equals(MemorySegment.NULL) || stream.equals(MemorySegment.NULL)) throw new IOException("OpenJPEG could not start a decoder");
                int ignored = (int) SET_ERROR_HANDLER.invokeExact(codec, ERROR_FN, MemorySegment.NULL);
                MemorySegment parameters = arena.allocate(DPARAMETERS_BYTES, 8);
                DEFAULTS.invokeExact(parameters);
                if ((int) SETUP.invokeExact(codec, parameters) == 0) throw failure("setting up the decoder");
                SET_READ.invokeExact(stream, READ_FN);
                SET_SKIP.invokeExact(stream, SKIP_FN);
                SET_SEEK.invokeExact(stream, SEEK_FN);
                SET_USER_DATA.invokeExact(stream, data, MemorySegment.NULL);
                SET_LENGTH.invokeExact(stream, (long) encoded.length);
                if ((int) READ_HEADER.invokeExact(stream, codec, imageRef) == 0) throw failure("reading the header");
                MemorySegment image = imageRef.get(ADDRESS, 0).reinterpret(48);
                checkGeometry(image, pixel);
                if ((int) DECODE.invokeExact(codec, stream, image) == 0) throw failure("decoding");
                if ((int) END.invokeExact(codec, stream) == 0) throw failure("finishing");
                checkGeometry(image, pixel);
                ImagePixel result = pixel.withPlanarConfiguration(0);
                if (pixel.photometric().equals("YBR_RCT") || pixel.photometric().equals("YBR_ICT")) result = result.withPhotometric("RGB");
                return new DecodedFrame(samples(image, result), result);
            } finally {
                MemorySegment image = imageRef.get(ADDRESS, 0);
                if (!image.equals(MemorySegment.NULL)) IMAGE_DESTROY.invokeExact(image);
                if (!stream.equals(MemorySegment.NULL)) STREAM_DESTROY.invokeExact(stream);
                if (!codec.equals(MemorySegment.NULL)) CODEC_DESTROY.invokeExact(codec);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("OpenJPEG call failed", t);
        }
    }

    private static int format(byte[] b) throws PixelDataException {
        if (b.length >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0x4F && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x51) return CODEC_J2K;
        if (b.length >= 8 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 12 && b[4] == 'j' && b[5] == 'P') return CODEC_JP2;
        throw new PixelDataException("frame is neither a JPEG 2000 codestream (FF4F FF51) nor a JP2 file");
    }

    private static PixelDataException failure(String step) {
        String said = ERRORS.get().toString().strip();
        return new PixelDataException("JPEG 2000 frame cannot be decoded (" + step + ")" + (said.isEmpty() ? "" : ": " + said));
    }

    /** opj_image_t: x0, y0, x1, y1, numcomps, color_space (4 bytes each), then comps at 24. */
    private static void checkGeometry(MemorySegment image, ImagePixel pixel) throws PixelDataException {
        int components = image.get(JAVA_INT, 16);
        if (components != pixel.samplesPerPixel()) {
            throw new PixelDataException("JPEG 2000 frame has " + components + " component(s); the data set says " + pixel);
        }
        MemorySegment comps = image.get(ADDRESS, 24).reinterpret(64L * components);
        for (int c = 0; c < components; c++) {
            // opj_image_comp_t: dx, dy, w, h, x0, y0, prec, bpp, sgnd, resno_decoded, factor (4 bytes each), data at 48
            long at = 64L * c;
            int dx = comps.get(JAVA_INT, at), dy = comps.get(JAVA_INT, at + 4), w = comps.get(JAVA_INT, at + 8), h = comps.get(JAVA_INT, at + 12);
            int precision = comps.get(JAVA_INT, at + 24);
            if (dx != 1 || dy != 1 || w != pixel.columns() || h != pixel.rows() || precision < 1 || precision > pixel.bitsAllocated() || precision > 31) {
                throw new PixelDataException("JPEG 2000 component " + c + " is " + w + "x" + h + " (subsampled " + dx + "x" + dy + ") of "
                        + precision + " bits; the data set says " + pixel);
            }
        }
    }

    private static byte[] samples(MemorySegment image, ImagePixel pixel) throws PixelDataException {
        int components = pixel.samplesPerPixel();
        int pixels = pixel.pixels();
        MemorySegment comps = image.get(ADDRESS, 24).reinterpret(64L * components);
        int[] samples = new int[pixels * components];
        // each component by one bulk copy (an intrinsic): a getAtIndex per sample is slow under C1 (decision 0007)
        int[] component = components == 1 ? samples : new int[pixels];
        for (int c = 0; c < components; c++) {
            MemorySegment values = comps.get(ADDRESS, 64L * c + 48);
            if (values.equals(MemorySegment.NULL)) throw new PixelDataException("JPEG 2000 component " + c + " was not decoded");
            MemorySegment.copy(values.reinterpret(4L * pixels), JAVA_INT, 0, component, 0, pixels);
            if (components > 1) for (int p = 0, at = c; p < pixels; p++, at += components) samples[at] = component[p];
        }
        return NativeSamples.pack(samples, pixel);
    }

    // The stream callbacks, called by OpenJPEG on the decoding thread with the user data set above.

    private static long read(MemorySegment buffer, long count, MemorySegment userData) {
        MemorySegment head = userData.reinterpret(DATA);
        long pos = head.get(JAVA_LONG, 0), length = head.get(JAVA_LONG, 8);
        if (pos >= length) return -1; // (OPJ_SIZE_T) -1: end of stream
        long n = Math.min(count, length - pos);
        MemorySegment.copy(userData.reinterpret(DATA + length), DATA + pos, buffer.reinterpret(n), 0, n);
        head.set(JAVA_LONG, 0, pos + n);
        return n;
    }

    private static long skip(long count, MemorySegment userData) {
        MemorySegment head = userData.reinterpret(DATA);
        long pos = head.get(JAVA_LONG, 0), length = head.get(JAVA_LONG, 8);
        long target = Math.clamp(pos + count, 0, length);
        if (target == pos && count != 0) return -1;
        head.set(JAVA_LONG, 0, target);
        return target - pos;
    }

    private static int seek(long offset, MemorySegment userData) {
        MemorySegment head = userData.reinterpret(DATA);
        if (offset < 0 || offset > head.get(JAVA_LONG, 8)) return 0;
        head.set(JAVA_LONG, 0, offset);
        return 1;
    }

    private static void error(MemorySegment message, MemorySegment client) {
        StringBuilder sb = ERRORS.get();
        if (sb.length() < 1000 && !message.equals(MemorySegment.NULL)) sb.append(message.reinterpret(1000).getString(0).strip()).append("; ");
    }
}
