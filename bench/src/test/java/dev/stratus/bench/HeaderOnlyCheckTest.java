package dev.stratus.bench;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.loadtest.Samples;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's inputs are what it claims, and a header read leaves the pixel bytes alone. */
class HeaderOnlyCheckTest {

    @Test
    void headerReadNeverTouchesPixelBytesInEitherSyntax() {
        for (TransferSyntax ts : new TransferSyntax[] {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN}) {
            byte[] file = Samples.file(Samples.ct(), ts);
            HeaderOnlyCheck.Result r = HeaderOnlyCheck.verify(file);
            assertTrue(file.length - r.headerBytes() == Samples.PIXEL_BYTES, ts.name() + ": only pixel data follows the header");
            assertTrue(r.trickleRead() - r.headerBytes() < HeaderOnlyCheck.TRICKLE, ts.name() + ": " + r);
            assertTrue(r.headerBytes() < 16 * 1024, ts.name() + ": a CT header is a few KB, got " + r.headerBytes());
        }
    }

    @Test
    void ctLooksLikeARealCtHeader() throws Exception {
        DataSet header = Samples.ctHeader();
        int attributes = Samples.countAttributes(header);
        assertTrue(attributes >= 100 && attributes <= 170, "attributes: " + attributes);
        byte[] file = Samples.file(Samples.ct(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertEquals(Samples.ct(), new DicomReader(file).readFile(ReadOptions.ALL).dataSet());
    }

    @Test
    void structuredReportIsLargeAndDeep() throws Exception {
        DataSet sr = Samples.structuredReport();
        assertTrue(Samples.countContentItems(sr) >= 5000, "content items: " + Samples.countContentItems(sr));
        byte[] file = Samples.file(sr, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertTrue(file.length > 2_000_000, "SR bytes: " + file.length);
        assertEquals(sr, new DicomReader(file).readFile(ReadOptions.ALL).dataSet());
    }
}
