package dev.stratus.archive.retrieve;

import dev.stratus.archive.Archive;
import dev.stratus.archive.ingest.IngestServiceTest;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Fragment;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.imaging.DecodedFrame;
import dev.stratus.imaging.ImagePixel;
import dev.stratus.imaging.RleEncoder;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An RLE multi-frame object that decodes to 256 MB is retrieved as Explicit VR Little Endian, and sent as DIMSE does
 * (spooled, as a message cannot fail half-way), by a JVM with 64 MB of heap.
 */
class DecodedRetrieveSmallHeapTest {
    static final int ROWS = 1024, COLUMNS = 1024, FRAMES = 128; // 2 MB a frame decoded

    /** The child: stores the object, retrieves and sends it decoded into a counting sink, prints the bytes written. */
    public static void main(String[] args) throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(Path.of(args[0])))) {
            String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
            archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(rleObject(study, series, sop)), null, "test");
            StoredInstance stored = archive.retrieve().find(TenantId.DEFAULT, study, series, sop).getFirst();
            Counted written = new Counted();
            archive.retrieve().writeInstance(stored, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, written);
            System.out.println("WRITTEN " + written.count);
            Counted sent = new Counted();
            try (InputStream in = archive.retrieve().openDataSet(stored, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)) {
                in.transferTo(sent);
            }
            System.out.println("SENT " + sent.count);
            try (var spooled = Files.list(Path.of(args[0], "spool"))) {
                System.out.println("LEFT " + spooled.filter(f -> f.getFileName().toString().startsWith("retrieve-")).count());
            }
        }
    }

    /** Counts the bytes written to it, holding none. */
    static final class Counted extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    static byte[] rleObject(String study, String series, String sop) throws Exception {
        DataSet ds = DicomReader.read(IngestServiceTest.instance(study, series, sop, "Big^Frames")).dataSet();
        ds.remove(Tag.PixelData);
        GreyPixels.describe(ds, ROWS, COLUMNS);
        ds.setString(Tag.NumberOfFrames, VR.IS, String.valueOf(FRAMES));
        ImagePixel pixel = ImagePixel.of(ds);
        byte[] frame = new byte[pixel.frameBytes()];
        for (int i = 0; i < frame.length; i += 2) frame[i] = (byte) (i / 2048); // a ramp per row: runs RLE packs well
        byte[] encoded = new RleEncoder().encode(new DecodedFrame(frame, pixel));
        List<Fragment> fragments = new ArrayList<>();
        fragments.add(new Fragment(0, 0, new byte[0]));
        for (int n = 0; n < FRAMES; n++) fragments.add(new Fragment(0, encoded.length, encoded));
        ds.put(new FragmentsElement(Tag.PixelData, VR.OB, fragments));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.writeFile(out, ds, TransferSyntax.of("1.2.840.10008.1.2.5"), null);
        return out.toByteArray();
    }

    @Test
    void aCompressedObjectFourTimesTheHeapIsServedDecodedAFrameAtATime(@TempDir Path dir) throws Exception {
        String output = ChildJvm.run(DecodedRetrieveSmallHeapTest.class, "64m", dir.resolve("child.log"), dir.resolve("archive").toString());
        long[] bytes = new long[2];
        String[] ways = {"WRITTEN ", "SENT "};
        for (int i = 0; i < 2; i++) {
            String way = ways[i];
            String line = output.lines().filter(l -> l.startsWith(way)).findFirst().orElse(null);
            assertTrue(line != null, way + "is missing:\n" + output);
            bytes[i] = Long.parseLong(line.substring(way.length()).strip());
            assertTrue(bytes[i] > (long) ROWS * COLUMNS * 2 * FRAMES, "all " + FRAMES + " frames decoded: " + line);
        }
        long meta = bytes[0] - bytes[1];
        assertTrue(meta > 132 && meta < 1024, "the data set sent is the file written without preamble and meta information: " + meta);
        assertTrue(output.lines().anyMatch(l -> l.equals("LEFT 0")), "the spooled data set is gone once sent: " + output);
    }
}
