package dev.stratus.archive.ingest;

import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.TransferSyntax;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Gives an object that came without (complete) File Meta Information a preamble and meta header: a proper Part 10 file. */
final class Part10Header {
    private Part10Header() {}

    /**
     * Rewrites {@code file} (whose bytes are all written) with a new header, its data set copied as a stream (a bare
     * data set of gigabytes costs a buffer of heap). Returns the transfer syntax the header declares.
     */
    static TransferSyntax addTo(Path file, DicomFile parsed) throws IOException {
        TransferSyntax ts = parsed.transferSyntax();
        Path part10 = file.resolveSibling(file.getFileName() + ".part10");
        try {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(part10, StandardOpenOption.CREATE_NEW), 64 * 1024)) {
                in.skipNBytes(parsed.dataSetOffset());
                ts = dataSyntax(in, ts);
                DicomWriter w = new DicomWriter(out, null);
                w.writePreambleAndMeta(DicomWriter.fileMetaFor(parsed.dataSet(), ts, null));
                w.flush();
                in.transferTo(out);
            }
            Files.move(part10, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return ts;
        } finally {
            Files.deleteIfExists(part10);
        }
    }

    /**
     * The reader trusts data that says implicit VR under a header saying explicit (as pydicom does); the new
     * header must then say implicit too, since the bytes are copied as they are.
     */
    private static TransferSyntax dataSyntax(InputStream in, TransferSyntax declared) throws IOException {
        if (declared != TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN || !in.markSupported()) return declared;
        in.mark(6);
        byte[] b = in.readNBytes(6);
        in.reset();
        boolean vr = b.length == 6 && b[4] >= 'A' && b[4] <= 'Z' && b[5] >= 'A' && b[5] <= 'Z';
        return b.length == 6 && !vr ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN : declared;
    }
}
