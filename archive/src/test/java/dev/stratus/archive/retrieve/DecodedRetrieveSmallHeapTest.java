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
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An RLE multi-frame object that decodes to 256 MB is retrieved as Explicit VR Little Endian by a JVM with 64 MB of heap. */
class DecodedRetrieveSmallHeapTest {
    static final int ROWS = 1024, COLUMNS = 1024, FRAMES = 128; // 2 MB a frame decoded

    /** The child: stores the object, retrieves it decoded into a counting sink, prints the bytes written. */
    public static void main(String[] args) throws Exception {
        try (Archive archive = Archive.open(Archive.Settings.in(Path.of(args[0])))) {
            String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
            archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(rleObject(study, series, sop)), null, "test");
            StoredInstance stored = archive.retrieve().find(TenantId.DEFAULT, study, series, sop).getFirst();
            long[] count = {0};
            OutputStream sink = new OutputStream() {
                @Override
                public void write(int b) {
                    count[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    count[0] += len;
                }
            };
            archive.retrieve().writeInstance(stored, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, sink);
            System.out.println("WRITTEN " + count[0]);
        }
    }

    static byte[] rleObject(String study, String series, String sop) throws Exception {
        DataSet ds = DicomReader.read(IngestServiceTest.instance(study, series, sop, "Big^Frames")).dataSet();
        ds.remove(Tag.PixelData);
        ds.setInt(Tag.Rows, VR.US, ROWS);
        ds.setInt(Tag.Columns, VR.US, COLUMNS);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 16);
        ds.setInt(Tag.HighBit, VR.US, 15);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                DecodedRetrieveSmallHeapTest.class.getName(), dir.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child did not finish");
        assertEquals(0, p.exitValue(), output);
        String line = output.lines().filter(l -> l.startsWith("WRITTEN ")).findFirst().orElse(output);
        long written = Long.parseLong(line.substring("WRITTEN ".length()).strip());
        assertTrue(written > (long) ROWS * COLUMNS * 2 * FRAMES, "all " + FRAMES + " frames written decoded: " + line);
    }
}
