package dev.stratus.archive.ingest;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.index.Index;
import dev.stratus.index.TenantId;
import dev.stratus.index.sql.SqlIndex;
import dev.stratus.pipeline.InProcessEventBus;
import dev.stratus.storage.LocalBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bare data set (no preamble, no meta header) of 400 MB is stored as Part 10 by a JVM with 96 MB of heap. */
class BareDataSetSmallHeapTest {
    static final long PIXEL_BYTES = 400L << 20;

    /** The child: stores one generated bare data set and prints its outcome and stored size. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true); InProcessEventBus bus = new InProcessEventBus()) {
            IngestService ingest = new IngestService(index, new LocalBlobStore(dir.resolve("blobs")), bus, dir.resolve("spool"));
            IngestOutcome o = ingest.ingest(TenantId.DEFAULT, bareDataSet(), null, "test");
            long size = o instanceof IngestOutcome.Stored s
                    ? index.findInstance(TenantId.DEFAULT, null, null, s.sopInstanceUid()).orElseThrow().blobSize() : -1;
            System.out.println("OUTCOME " + o.getClass().getSimpleName() + " " + size);
        }
    }

    /** Explicit VR Little Endian identifying elements, then Pixel Data (OW) of zeros, produced as read. */
    static InputStream bareDataSet() throws IOException {
        DataSet ds = HostileInputTest.identified(Uids.generate());
        byte[] head = DicomWriter.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] pixelHeader = {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0,
                (byte) PIXEL_BYTES, (byte) (PIXEL_BYTES >> 8), (byte) (PIXEL_BYTES >> 16), (byte) (PIXEL_BYTES >> 24)};
        InputStream zeros = new InputStream() {
            long left = PIXEL_BYTES;

            @Override
            public int read() {
                if (left <= 0) return -1;
                left--;
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
        return new SequenceInputStream(new SequenceInputStream(new java.io.ByteArrayInputStream(head),
                new java.io.ByteArrayInputStream(pixelHeader)), zeros);
    }

    @Test
    void aBareDataSetFourTimesTheHeapIsStoredAsPart10(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx96m", "-cp", System.getProperty("java.class.path"),
                BareDataSetSmallHeapTest.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not finish");
        assertEquals(0, p.exitValue(), output);
        String line = output.lines().filter(l -> l.startsWith("OUTCOME ")).findFirst().orElse(output);
        String[] parts = line.split(" ");
        assertEquals("Stored", parts[1], output);
        assertTrue(Long.parseLong(parts[2]) > PIXEL_BYTES + 128, "stored with a preamble and meta header: " + line);
    }
}
