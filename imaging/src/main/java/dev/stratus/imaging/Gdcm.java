package dev.stratus.imaging;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Fragment;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * GDCM's Java binding (Debian libgdcm-java: /usr/share/java/gdcm.jar on the class path, its JNI library beside it),
 * looked up at run time so that the archive builds and runs without it. GDCM reads files: the frame is written as a
 * one-frame Part 10 file in a temporary directory, decoded, and deleted.
 */
final class Gdcm {
    static final String JNI = "/usr/lib/x86_64-linux-gnu/jni/libgdcmjni.so";
    private static final MethodHandle NEW_READER, SET_FILE_NAME, READ, GET_IMAGE, BUFFER_LENGTH, GET_BUFFER;
    private static final String MISSING;

    static {
        MethodHandle newReader = null, setFileName = null, read = null, getImage = null, length = null, getBuffer = null;
        String missing = null;
        try {
            Class<?> reader = Class.forName("gdcm.ImageReader");
            Class<?> image = Class.forName("gdcm.Image");
            System.load(JNI);
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            newReader = l.findConstructor(reader, MethodType.methodType(void.class));
            setFileName = l.findVirtual(reader, "SetFileName", MethodType.methodType(void.class, String.class));
            read = l.findVirtual(reader, "Read", MethodType.methodType(boolean.class));
            getImage = l.findVirtual(reader, "GetImage", MethodType.methodType(image));
            length = l.findVirtual(image, "GetBufferLength", MethodType.methodType(long.class));
            getBuffer = l.findVirtual(image, "GetBuffer", MethodType.methodType(boolean.class, byte[].class));
            // GDCM writes its warnings to stderr, around the server's log; a failure is reported by the return values
            l.findStatic(Class.forName("gdcm.Trace"), "WarningOff", MethodType.methodType(void.class)).invoke();
            l.findStatic(Class.forName("gdcm.Trace"), "ErrorOff", MethodType.methodType(void.class)).invoke();
        } catch (Throwable e) {
            missing = "GDCM's Java binding is not installed (apt-get install libgdcm-java; /usr/share/java/gdcm.jar on the class path): " + e;
        }
        NEW_READER = newReader;
        SET_FILE_NAME = setFileName;
        READ = read;
        GET_IMAGE = getImage;
        BUFFER_LENGTH = length;
        GET_BUFFER = getBuffer;
        MISSING = missing;
    }

    private Gdcm() {}

    static boolean available() { return MISSING == null; }

    static String absence() { return MISSING; }

    /** Decodes one frame of {@code ts} as GDCM does; the result has exactly the frame's size or the call fails. */
    static byte[] decode(byte[] encoded, ImagePixel p, TransferSyntax ts) throws IOException {
        if (!available()) throw new UnsupportedPixelDataException(MISSING);
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.1");
        ds.setInt(Tag.SamplesPerPixel, VR.US, p.samplesPerPixel());
        ds.setString(Tag.PhotometricInterpretation, VR.CS, p.photometric());
        if (p.samplesPerPixel() > 1) ds.setInt(Tag.PlanarConfiguration, VR.US, 0);
        ds.setInt(Tag.Rows, VR.US, p.rows());
        ds.setInt(Tag.Columns, VR.US, p.columns());
        ds.setInt(Tag.BitsAllocated, VR.US, p.bitsAllocated());
        ds.setInt(Tag.BitsStored, VR.US, p.bitsStored());
        ds.setInt(Tag.HighBit, VR.US, p.bitsStored() - 1);
        ds.setInt(Tag.PixelRepresentation, VR.US, p.pixelRepresentation());
        byte[] even = (encoded.length & 1) == 0 ? encoded : java.util.Arrays.copyOf(encoded, encoded.length + 1);
        ds.put(new FragmentsElement(Tag.PixelData, VR.OB,
                List.of(new Fragment(0, 0, new byte[0]), new Fragment(0, even.length, even))));
        Path file = Files.createTempFile("stratus-frame", ".dcm");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                DicomWriter.writeFile(out, ds, ts, null);
            }
            Object reader = NEW_READER.invoke();
            SET_FILE_NAME.invoke(reader, file.toString());
            if (!(boolean) READ.invoke(reader)) throw new PixelDataException("GDCM cannot read the frame as " + ts.name());
            Object image = GET_IMAGE.invoke(reader);
            long length = (long) BUFFER_LENGTH.invoke(image);
            if (length != p.frameBytes()) {
                throw new PixelDataException("GDCM decodes the frame to " + length + " bytes; " + p + " needs " + p.frameBytes());
            }
            byte[] out = new byte[(int) length];
            if (!(boolean) GET_BUFFER.invoke(image, out)) throw new PixelDataException("GDCM cannot decode the frame as " + ts.name());
            return out;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("GDCM call failed", t);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
