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
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * JPEG 2000 lossless (reversible 5/3 wavelet, one quality layer, raw codestream) through OpenJPEG 2.5 over the FFM API.
 * No component transform: RGB stays RGB (PS3.5 8.2.4 allows it), MONOCHROME stays as it is.
 */
public final class Jpeg2000Encoder implements FrameEncoder {
    private static final NativeLibrary OPENJPEG = Jpeg2000Decoder.OPENJPEG;
    // Offsets in opj_cparameters_t and opj_image_cmptparm_t of OpenJPEG 2.5 (x86-64), measured with offsetof.
    private static final long CPARAMETERS_BYTES = 18720, CP_DISTO_ALLOC = 20, TCP_NUMLAYERS = 4796, TCP_RATES = 4800,
            IRREVERSIBLE = 5616, TCP_MCT = 18698, CMPTPARM_BYTES = 36;

    private static final MethodHandle DEFAULTS, IMAGE_CREATE, CREATE, SETUP, STREAM, SET_WRITE, SET_SKIP, SET_SEEK, START, ENCODE,
            END, STREAM_DESTROY, CODEC_DESTROY, IMAGE_DESTROY;
    private static final MemorySegment WRITE_FN, SKIP_FN, SEEK_FN;
    private static final ThreadLocal<Output> OUTPUT = new ThreadLocal<>();

    static {
        if (OPENJPEG.available()) {
            DEFAULTS = OPENJPEG.function("opj_set_default_encoder_parameters", FunctionDescriptor.ofVoid(ADDRESS));
            IMAGE_CREATE = OPENJPEG.function("opj_image_create", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
            CREATE = OPENJPEG.function("opj_create_compress", FunctionDescriptor.of(ADDRESS, JAVA_INT));
            SETUP = OPENJPEG.function("opj_setup_encoder", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
            STREAM = OPENJPEG.function("opj_stream_create", FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_INT));
            SET_WRITE = OPENJPEG.function("opj_stream_set_write_function", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
            SET_SKIP = OPENJPEG.function("opj_stream_set_skip_function", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
            SET_SEEK = OPENJPEG.function("opj_stream_set_seek_function", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
            START = OPENJPEG.function("opj_start_compress", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
            ENCODE = OPENJPEG.function("opj_encode", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            END = OPENJPEG.function("opj_end_compress", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            STREAM_DESTROY = OPENJPEG.function("opj_stream_destroy", FunctionDescriptor.ofVoid(ADDRESS));
            CODEC_DESTROY = OPENJPEG.function("opj_destroy_codec", FunctionDescriptor.ofVoid(ADDRESS));
            IMAGE_DESTROY = OPENJPEG.function("opj_image_destroy", FunctionDescriptor.ofVoid(ADDRESS));
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                Linker linker = Linker.nativeLinker();
                WRITE_FN = linker.upcallStub(l.findStatic(Jpeg2000Encoder.class, "write",
                        MethodType.methodType(long.class, MemorySegment.class, long.class, MemorySegment.class)),
                        FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS), Arena.global());
                SKIP_FN = linker.upcallStub(l.findStatic(Jpeg2000Encoder.class, "skip",
                        MethodType.methodType(long.class, long.class, MemorySegment.class)),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS), Arena.global());
                SEEK_FN = linker.upcallStub(l.findStatic(Jpeg2000Encoder.class, "seek",
                        MethodType.methodType(int.class, long.class, MemorySegment.class)),
                        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS), Arena.global());
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        } else {
            DEFAULTS = IMAGE_CREATE = CREATE = SETUP = STREAM = SET_WRITE = SET_SKIP = SET_SEEK = START = ENCODE = END = STREAM_DESTROY
                    = CODEC_DESTROY = IMAGE_DESTROY = null;
            WRITE_FN = SKIP_FN = SEEK_FN = null;
        }
    }

    public static boolean available() { return OPENJPEG.available(); }

    @Override
    public ImagePixel encodedPixel(ImagePixel s) throws UnsupportedPixelDataException {
        if (!OPENJPEG.available()) throw new UnsupportedPixelDataException("JPEG 2000 needs OpenJPEG: " + OPENJPEG.absence());
        boolean mono = s.samplesPerPixel() == 1 && s.photometric().startsWith("MONOCHROME");
        if (!mono && !(s.samplesPerPixel() == 3 && s.photometric().equals("RGB"))) {
            throw new UnsupportedPixelDataException("JPEG 2000 is written from MONOCHROME or RGB; this image is " + s.photometric());
        }
        if (s.bitsAllocated() == 1 || s.bitsStored() > 24) throw new UnsupportedPixelDataException("JPEG 2000 of " + s.bitsStored() + "-bit samples is not supported");
        return s.withPlanarConfiguration(0);
    }

    @Override
    public byte[] encode(DecodedFrame frame) throws IOException {
        ImagePixel p = frame.pixel();
        encodedPixel(p);
        int components = p.samplesPerPixel(), pixels = p.pixels();
        Output output = new Output();
        OUTPUT.set(output);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(CPARAMETERS_BYTES + 64, 8);
            DEFAULTS.invokeExact(params);
            params.set(JAVA_INT, TCP_NUMLAYERS, 1);
            params.set(JAVA_FLOAT, TCP_RATES, 0f); // rate 0: lossless
            params.set(JAVA_INT, CP_DISTO_ALLOC, 1);
            params.set(JAVA_INT, IRREVERSIBLE, 0);
            params.set(ValueLayout.JAVA_BYTE, TCP_MCT, (byte) 0);
            MemorySegment cmpt = arena.allocate(CMPTPARM_BYTES * components, 4);
            for (int c = 0; c < components; c++) {
                long at = CMPTPARM_BYTES * c; // dx, dy, w, h, x0, y0, prec, bpp, sgnd
                int[] values = {1, 1, p.columns(), p.rows(), 0, 0, p.bitsStored(), p.bitsStored(), p.signed() ? 1 : 0};
                for (int i = 0; i < values.length; i++) cmpt.set(JAVA_INT, at + 4L * i, values[i]);
            }
            int colourSpace = components == 3 ? 1 : 2; // OPJ_CLRSPC_SRGB, OPJ_CLRSPC_GRAY
            MemorySegment image = (MemorySegment) IMAGE_CREATE.invokeExact(components, cmpt, colourSpace);
            if (image.equals(MemorySegment.NULL)) throw new IOException("OpenJPEG could not create an image (out of memory)");
            MemorySegment codec = MemorySegment.NULL, stream = MemorySegment.NULL;
            try {
                image = image.reinterpret(48);
                image.set(JAVA_INT, 8, p.columns());
                image.set(JAVA_INT, 12, p.rows());
                fill(image, frame);
                codec = (MemorySegment) CREATE.invokeExact(0); // OPJ_CODEC_J2K: a raw codestream, as DICOM holds it
                if ((int) SETUP.invokeExact(codec, params, image) == 0) throw new PixelDataException("OpenJPEG refused the encoder parameters");
                stream = (MemorySegment) STREAM.invokeExact(1024L * 1024, 0);
                SET_WRITE.invokeExact(stream, WRITE_FN);
                SET_SKIP.invokeExact(stream, SKIP_FN);
                SET_SEEK.invokeExact(stream, SEEK_FN);
                if ((int) START.invokeExact(codec, image, stream) == 0 || (int) ENCODE.invokeExact(codec, stream) == 0
                        || (int) END.invokeExact(codec, stream) == 0) {
                    throw new PixelDataException("OpenJPEG could not encode the frame (" + p + ")");
                }
            } finally {
                if (!stream.equals(MemorySegment.NULL)) STREAM_DESTROY.invokeExact(stream);
                if (!codec.equals(MemorySegment.NULL)) CODEC_DESTROY.invokeExact(codec);
                IMAGE_DESTROY.invokeExact(image);
            }
            byte[] out = output.bytes();
            return (out.length & 1) == 1 ? Arrays.copyOf(out, out.length + 1) : out;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("OpenJPEG call failed", t);
        } finally {
            OUTPUT.remove();
        }
    }

    /** The samples into each component's int32 array, sign extended from Bits Stored when signed. */
    private static void fill(MemorySegment image, DecodedFrame frame) {
        ImagePixel p = frame.pixel();
        int components = p.samplesPerPixel(), pixels = p.pixels();
        byte[] b = frame.pixels();
        if (components > 1 && p.planarConfiguration() == 1) b = Planes.interleave(b, pixels, components, p.bytesPerSample());
        StoredValues values = new StoredValues(new DecodedFrame(b, p));
        MemorySegment comps = image.get(ADDRESS, 24).reinterpret(64L * components);
        for (int c = 0; c < components; c++) {
            MemorySegment data = comps.get(ADDRESS, 64L * c + 48).reinterpret(4L * pixels);
            for (int i = 0; i < pixels; i++) data.setAtIndex(JAVA_INT, i, (int) values.get(i * components + c));
        }
    }

    /** The codestream as OpenJPEG writes it (it may seek back to patch markers). */
    private static final class Output {
        byte[] buf = new byte[64 * 1024];
        int pos, length;

        void write(MemorySegment from, int n) {
            if (pos + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            MemorySegment.copy(from, ValueLayout.JAVA_BYTE, 0, buf, pos, n);
            pos += n;
            length = Math.max(length, pos);
        }

        byte[] bytes() { return Arrays.copyOf(buf, length); }
    }

    private static long write(MemorySegment buffer, long count, MemorySegment userData) {
        Output out = OUTPUT.get();
        if (out == null || count < 0 || count > Integer.MAX_VALUE - out.pos) return -1;
        out.write(buffer.reinterpret(count), (int) count);
        return count;
    }

    private static long skip(long count, MemorySegment userData) {
        Output out = OUTPUT.get();
        long target = out.pos + count;
        if (target < 0 || target > Integer.MAX_VALUE) return -1;
        if (target > out.buf.length) out.buf = Arrays.copyOf(out.buf, (int) target);
        out.pos = (int) target;
        out.length = Math.max(out.length, out.pos);
        return count;
    }

    private static int seek(long offset, MemorySegment userData) {
        Output out = OUTPUT.get();
        if (offset < 0 || offset > out.length) return 0;
        out.pos = (int) offset;
        return 1;
    }
}
