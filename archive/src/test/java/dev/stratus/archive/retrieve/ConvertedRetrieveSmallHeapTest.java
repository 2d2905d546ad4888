package dev.stratus.archive.retrieve;

import dev.stratus.archive.Archive;
import dev.stratus.archive.ingest.IngestServiceTest;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Explicit VR Little Endian object with 320 MiB of pixel data is served as Implicit VR Little Endian and as
 * Explicit VR Big Endian, over WADO-RS (writeInstance) and DIMSE (openDataSet), by a JVM with 128 MiB of heap.
 */
class ConvertedRetrieveSmallHeapTest {
    static final int ROWS = 2048, COLUMNS = 2048, FRAMES = 40;
    static final long PIXEL_BYTES = (long) ROWS * COLUMNS * 2 * FRAMES;

    /** The child: stores the object, converts it four ways, checking every byte that comes out. */
    public static void main(String[] args) throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(Path.of(args[0])))) {
            try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
                archive.ingest().ingest(TenantId.DEFAULT, in, null, "test");
            }
            StoredInstance stored = archive.retrieve().find(TenantId.DEFAULT, args[2], args[3], args[4]).getFirst();
            DataSet header;
            try (InputStream in = archive.retrieve().open(stored)) {
                header = new DicomReader(in, stored.blobSize()).readFile(ReadOptions.HEADER).dataSet();
            }
            header.remove(Tag.PixelData);
            for (TransferSyntax wanted : new TransferSyntax[] {TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN}) {
                ByteArrayOutputStream part10 = new ByteArrayOutputStream();
                DicomWriter.writeFile(part10, header, wanted, null);
                ServedBytes served = new ServedBytes(part10.toByteArray(), wanted);
                archive.retrieve().writeInstance(stored, wanted, served);
                System.out.println("WRITTEN " + wanted.name() + " " + served.check());

                ServedBytes dataSet = new ServedBytes(DicomWriter.encode(header, wanted), wanted);
                try (InputStream in = archive.retrieve().openDataSet(stored, wanted)) {
                    in.transferTo(dataSet);
                }
                System.out.println("SENT " + wanted.name() + " " + dataSet.check());
            }
        }
    }

    /** Sample i of the stored pixels, a 16-bit value whose two bytes differ in most samples. */
    static int sample(long i) {
        return (int) ((i * 40503 + (i >>> 13)) & 0xFFFF);
    }

    /** Compares every byte served with the header expected and the pixels in the wanted byte order, holding none. */
    static final class ServedBytes extends OutputStream {
        private final byte[] head;
        private final boolean bigEndian;
        private long position;

        ServedBytes(byte[] headerBeforePixels, TransferSyntax ts) {
            ByteBuffer pixelHeader = ByteBuffer.allocate(ts.explicitVR() ? 12 : 8).order(ts.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            pixelHeader.putShort((short) 0x7FE0).putShort((short) 0x0010);
            if (ts.explicitVR()) pixelHeader.put((byte) 'O').put((byte) 'W').putShort((short) 0);
            pixelHeader.putInt((int) PIXEL_BYTES);
            this.head = new byte[headerBeforePixels.length + pixelHeader.capacity()];
            System.arraycopy(headerBeforePixels, 0, head, 0, headerBeforePixels.length);
            System.arraycopy(pixelHeader.array(), 0, head, headerBeforePixels.length, pixelHeader.capacity());
            this.bigEndian = ts.bigEndian();
        }

        @Override
        public void write(int b) throws IOException {
            long k = position - head.length;
            int expected = k < 0 ? head[(int) position] & 0xFF : pixelByte(k);
            if (k >= PIXEL_BYTES || (b & 0xFF) != expected) {
                throw new IOException("byte " + position + " is " + (b & 0xFF) + ", expected " + expected + " (pixel data starts at " + head.length + ")");
            }
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = 0; i < len; i++) write(b[off + i]);
        }

        private int pixelByte(long k) {
            int v = sample(k >>> 1);
            boolean high = ((k & 1) == 1) != bigEndian;
            return high ? v >>> 8 : v & 0xFF;
        }

        /** The bytes served, once all are there. */
        long check() throws IOException {
            if (position != head.length + PIXEL_BYTES) throw new IOException(position + " bytes served, expected " + (head.length + PIXEL_BYTES));
            return position;
        }
    }

    /** Writes the object without holding its pixels: the header, then the pixel data a megabyte at a time. */
    static void writeObject(Path file, String study, String series, String sop) throws Exception {
        DataSet ds = DicomReader.read(IngestServiceTest.instance(study, series, sop, "Large^Uncompressed")).dataSet();
        ds.remove(Tag.PixelData);
        GreyPixels.describe(ds, ROWS, COLUMNS);
        ds.setString(Tag.NumberOfFrames, VR.IS, String.valueOf(FRAMES));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
            ByteBuffer pixelHeader = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            pixelHeader.putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'W').putShort((short) 0).putInt((int) PIXEL_BYTES);
            out.write(pixelHeader.array());
            byte[] chunk = new byte[1 << 20];
            for (long at = 0; at < PIXEL_BYTES; at += chunk.length) {
                for (int j = 0; j < chunk.length; j += 2) {
                    int v = sample((at + j) >>> 1);
                    chunk[j] = (byte) v;
                    chunk[j + 1] = (byte) (v >>> 8);
                }
                out.write(chunk);
            }
        }
    }

    @Test
    void anUncompressedObjectTwiceTheHeapIsServedInOtherSyntaxesAChunkAtATime(@TempDir Path dir) throws Exception {
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        Path object = dir.resolve("large.dcm");
        writeObject(object, study, series, sop);
        String log = ChildJvm.run(ConvertedRetrieveSmallHeapTest.class, "128m", dir.resolve("child.log"),
                dir.resolve("archive").toString(), object.toString(), study, series, sop);
        for (String way : new String[] {"WRITTEN Implicit VR Little Endian", "SENT Implicit VR Little Endian",
                "WRITTEN Explicit VR Big Endian", "SENT Explicit VR Big Endian"}) {
            String line = log.lines().filter(l -> l.startsWith(way)).findFirst().orElse(null);
            assertTrue(line != null, way + " is missing:\n" + log);
            assertTrue(Long.parseLong(line.substring(line.lastIndexOf(' ') + 1)) > PIXEL_BYTES, line);
        }
    }
}
