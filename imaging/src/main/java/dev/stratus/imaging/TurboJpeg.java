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
 * 8-bit DCT JPEG (baseline and extended, sequential) coded and decoded by libjpeg-turbo's TurboJPEG API 2.1 (Debian
 * libturbojpeg0) over the FFM API; callers fall back to the JDK's ImageIO or TwelveMonkeys when it is absent. Coding,
 * it writes into a buffer it allocates and grows itself (freed here); decoding, into one allocated here of width x
 * height x pixel size of the header the caller checked against the data set, which the decoder is told (so it cannot
 * scale or write beyond).
 */
final class TurboJpeg {
    static final TurboJpeg INSTALLED = new TurboJpeg(NativeLibrary.open("libturbojpeg.so.0", "libturbojpeg0"));

    /** Pixel formats (TJPF), chrominance subsampling (TJSAMP) and JPEG colour spaces (TJCS) of turbojpeg.h. */
    static final int RGB = 0, BGR = 1, GRAY = 6;
    static final int SAMPLING_444 = 0, SAMPLING_422 = 1, SAMPLING_420 = 2, SAMPLING_GRAY = 3;
    static final int COLOUR_RGB = 0, COLOUR_YCBCR = 1, COLOUR_GRAY = 2;
    private static final int LIMIT_SCANS = 32768;
    /** JMSG_LENGTH_MAX: the size of the handle's error text buffer. */
    private static final int ERROR_TEXT_MAX = 200;

    private final NativeLibrary library;
    /** Why a library that is there cannot be used (a TurboJPEG older than 2.0 lacks tjGetErrorStr2), else null. */
    private final String unusable;
    private final MethodHandle initCompress, compress, free, initDecompress, header, decompress, destroy, errorText;

    TurboJpeg(NativeLibrary library) {
        this.library = library;
        MethodHandle[] f = new MethodHandle[8];
        String why = null;
        if (library.available()) {
            try {
                f[0] = library.function("tjInitCompress", FunctionDescriptor.of(ADDRESS));
                f[1] = library.function("tjCompress2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                        JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
                f[2] = library.function("tjFree", FunctionDescriptor.ofVoid(ADDRESS));
                f[3] = library.function("tjInitDecompress", FunctionDescriptor.of(ADDRESS));
                f[4] = library.function("tjDecompressHeader3", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS,
                        ADDRESS, ADDRESS, ADDRESS));
                f[5] = library.function("tjDecompress2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS,
                        JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
                f[6] = library.function("tjDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
                f[7] = library.function("tjGetErrorStr2", FunctionDescriptor.of(ADDRESS, ADDRESS));
            } catch (IllegalStateException e) {
                why = e.getMessage() + " (TurboJPEG 2.0 or later is needed: apt-get install " + library.debianPackage + ")";
            }
        }
        unusable = why;
        initCompress = f[0];
        compress = f[1];
        free = f[2];
        initDecompress = f[3];
        header = f[4];
        decompress = f[5];
        destroy = f[6];
        errorText = f[7];
    }

    boolean available() { return library.available() && unusable == null; }

    String absence() { return unusable != null ? unusable : library.absence(); }

    static int pixelSize(int format) {
        return switch (format) {
            case RGB, BGR -> 3;
            case GRAY -> 1;
            default -> throw new IllegalArgumentException("pixel format " + format);
        };
    }

    /** Codes interleaved 8-bit pixels of {@code format} as one JPEG (JFIF) stream; quality 1..100 as IJG's scale. */
    byte[] compress(byte[] pixels, int width, int height, int format, int subsampling, int quality) throws IOException {
        if (!available()) throw new UnsupportedPixelDataException("TurboJPEG: " + absence());
        if (width < 1 || height < 1 || pixels.length != (long) width * height * pixelSize(format)) {
            throw new PixelDataException(pixels.length + " bytes are not " + width + "x" + height + " pixels of " + pixelSize(format) + " samples");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocate(pixels.length);
            MemorySegment.copy(pixels, 0, source, ValueLayout.JAVA_BYTE, 0, pixels.length);
            // NULL and 0: TurboJPEG mallocs the output and grows it as it writes (no worst-case buffer zeroed per call)
            MemorySegment targetAddress = arena.allocate(ADDRESS), size = arena.allocate(JAVA_LONG);
            MemorySegment handle = (MemorySegment) initCompress.invokeExact();
            if (handle.equals(MemorySegment.NULL)) throw new IOException("TurboJPEG could not create a compressor (out of memory)");
            String failure = null;
            try {
                int result = (int) compress.invokeExact(handle, source, width, 0, height, format, targetAddress, size, subsampling,
                        Math.clamp(quality, 1, 100), 0);
                if (result != 0) failure = error(handle);
            } finally {
                int ignored = (int) destroy.invokeExact(handle);
            }
            MemorySegment target = targetAddress.get(ADDRESS, 0);
            try { // also after a failure: TurboJPEG may have allocated the buffer by then
                if (failure != null) throw new IOException("TurboJPEG could not code a " + width + "x" + height + " image: " + failure);
                long written = size.get(JAVA_LONG, 0);
                if (target.equals(MemorySegment.NULL) || written <= 0 || written > ImagePixel.MAX_FRAME_BYTES) {
                    throw new IOException("TurboJPEG reported " + written + " bytes written");
                }
                return target.reinterpret(written).toArray(ValueLayout.JAVA_BYTE);
            } finally {
                if (!target.equals(MemorySegment.NULL)) free.invokeExact(target);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("TurboJPEG call failed", t);
        }
    }

    /** What tjDecompressHeader3 reads of a stream: its size, subsampling (-1: none TurboJPEG names) and colour space. */
    record Header(int width, int height, int subsampling, int colourSpace) {}

    /** One stream, copied once to native memory, read by one decompressor; closing frees both. */
    Decompression decompression(byte[] jpeg) throws IOException {
        if (!available()) throw new UnsupportedPixelDataException("TurboJPEG: " + absence());
        Arena arena = Arena.ofConfined();
        MemorySegment source, handle;
        try {
            source = arena.allocate(Math.max(1, jpeg.length));
            MemorySegment.copy(jpeg, 0, source, ValueLayout.JAVA_BYTE, 0, jpeg.length);
            handle = (MemorySegment) initDecompress.invokeExact();
        } catch (Throwable t) {
            arena.close();
            throw new IOException("TurboJPEG call failed", t);
        }
        if (handle.equals(MemorySegment.NULL)) {
            arena.close();
            throw new IOException("TurboJPEG could not create a decompressor (out of memory)");
        }
        return new Decompression(arena, handle, source, jpeg.length);
    }

    final class Decompression implements AutoCloseable {
        private final Arena arena;
        private final MemorySegment handle, source;
        private final long length;
        private Header header;

        private Decompression(Arena arena, MemorySegment handle, MemorySegment source, long length) {
            this.arena = arena;
            this.handle = handle;
            this.source = source;
            this.length = length;
        }

        Header header() throws IOException {
            if (header != null) return header;
            try {
                MemorySegment values = arena.allocate(JAVA_INT, 4);
                int result = (int) TurboJpeg.this.header.invokeExact(handle, source, length, values, values.asSlice(4), values.asSlice(8),
                        values.asSlice(12));
                if (result != 0) throw new PixelDataException("JPEG header cannot be read: " + error(handle));
                Header read = new Header(values.getAtIndex(JAVA_INT, 0), values.getAtIndex(JAVA_INT, 1), values.getAtIndex(JAVA_INT, 2),
                        values.getAtIndex(JAVA_INT, 3));
                // a stream that ends before a frame reads as tables only: success, and no size
                if (read.width() < 1 || read.height() < 1) throw new PixelDataException("JPEG stream of " + length + " bytes holds no image");
                header = read;
                return header;
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException("TurboJPEG call failed", t);
            }
        }

        /**
         * The pixels of the whole image, interleaved, in {@code format}, if it is {@code width} x {@code height} (the
         * size the caller expects and bounds); PixelDataException on any error or warning (libjpeg's warnings mean
         * corrupt data, which the caller may decode otherwise).
         */
        byte[] pixels(int width, int height, int format) throws IOException {
            Header h = header();
            long size = (long) width * height * pixelSize(format);
            if (h.width() != width || h.height() != height || width < 1 || height < 1 || size > ImagePixel.MAX_FRAME_BYTES) {
                throw new PixelDataException("JPEG frame is " + h.width() + "x" + h.height() + "; " + width + "x" + height + " was expected");
            }
            try {
                MemorySegment target = arena.allocate(size);
                int result = (int) decompress.invokeExact(handle, source, length, target, width, width * pixelSize(format), height, format,
                        LIMIT_SCANS);
                if (result != 0) throw new PixelDataException("JPEG frame cannot be decoded: " + error(handle));
                return target.toArray(ValueLayout.JAVA_BYTE);
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException("TurboJPEG call failed", t);
            }
        }

        @Override
        public void close() {
            try {
                int ignored = (int) destroy.invokeExact(handle);
            } catch (Throwable t) {
                throw new IllegalStateException("tjDestroy failed", t);
            } finally {
                arena.close();
            }
        }
    }

    private String error(MemorySegment handle) throws Throwable {
        MemorySegment text = (MemorySegment) errorText.invokeExact(handle);
        return text.equals(MemorySegment.NULL) ? "no message" : text.reinterpret(ERROR_TEXT_MAX).getString(0);
    }
}
