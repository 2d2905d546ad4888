package dev.stratus.imaging;

import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.TransferSyntax;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Frames that lie about themselves are refused with the reason, before a decoder allocates or reads beyond them. */
class HostileFramesTest {
    private static final ImagePixel MONO16 = new ImagePixel(64, 64, 1, 16, 16, 1, 0, "MONOCHROME2", 1);

    record Sample(byte[] frame, ImagePixel pixel, FrameDecoder decoder) {}

    private static Sample sample(String name) throws Exception {
        DicomFile f = DicomReader.read(Files.readAllBytes(TestFiles.file(name)));
        ImagePixel pixel = ImagePixel.of(f.dataSet());
        String why = FrameDecoders.unsupported(f.transferSyntax());
        assumeTrue(why == null || "true".equals(System.getenv("CI")), why);
        return new Sample(EncapsulatedFrames.split((FragmentsElement) f.dataSet().get(Tag.PixelData), pixel.frames()).getFirst(),
                pixel, FrameDecoders.of(f.transferSyntax()));
    }

    @Test
    void rleSegmentOffsetBeyondTheFrameIsRefused() {
        byte[] frame = new byte[80];
        frame[0] = 2; // two segments for 16-bit samples
        frame[4] = 64;
        frame[8] = (byte) 0xF0; // second segment starts at 240, beyond the 80 bytes
        PixelDataException e = assertThrows(PixelDataException.class, () -> new RleDecoder().decode(frame, MONO16));
        assertTrue(e.getMessage().contains("outside the frame"), e.getMessage());
    }

    @Test
    void rleRunLongerThanTheFrameIsRefused() {
        byte[] frame = new byte[70];
        frame[0] = 2;
        frame[4] = 64;
        frame[8] = 67;
        frame[64] = (byte) -127; // 128 copies ...
        frame[65] = 1;
        frame[66] = (byte) -127;
        frame[67] = (byte) 0x81; // second segment: a run, but the frame has only 64x64 bytes per segment in all
        assertThrows(PixelDataException.class, () -> new RleDecoder().decode(frame, new ImagePixel(2, 2, 1, 16, 16, 0, 0, "MONOCHROME2", 1)));
    }

    @Test
    void rleWithTheWrongSegmentCountIsRefused() {
        byte[] frame = new byte[64];
        frame[0] = 3;
        assertThrows(PixelDataException.class, () -> new RleDecoder().decode(frame, MONO16));
    }

    @Test
    void jpegLsFrameLargerThanTheDataSetSaysIsRefused() throws Exception {
        Sample s = sample("MR_small_jpeg_ls_lossless.dcm");
        ImagePixel smaller = new ImagePixel(s.pixel().rows() / 2, s.pixel().columns(), 1, 16, 16, 1, 0, "MONOCHROME2", 1);
        PixelDataException e = assertThrows(PixelDataException.class, () -> s.decoder().decode(s.frame(), smaller));
        assertTrue(e.getMessage().contains("the data set says"), e.getMessage());
    }

    @Test
    void truncatedJpegLsStreamIsRefused() throws Exception {
        Sample s = sample("MR_small_jpeg_ls_lossless.dcm");
        byte[] cut = Arrays.copyOf(s.frame(), s.frame().length / 3);
        PixelDataException e = assertThrows(PixelDataException.class, () -> s.decoder().decode(cut, s.pixel()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        byte[] cutWithEnd = Arrays.copyOf(cut, cut.length + 2);
        cutWithEnd[cut.length] = (byte) 0xFF;
        cutWithEnd[cut.length + 1] = (byte) 0xD9;
        assertThrows(PixelDataException.class, () -> s.decoder().decode(cutWithEnd, s.pixel()));
    }

    @Test
    void jpeg2000FrameOfOtherDimensionsIsRefused() throws Exception {
        Sample s = sample("MR_small_jp2klossless.dcm");
        ImagePixel larger = new ImagePixel(s.pixel().rows() * 2, s.pixel().columns(), 1, 16, 16, 1, 0, "MONOCHROME2", 1);
        PixelDataException e = assertThrows(PixelDataException.class, () -> s.decoder().decode(s.frame(), larger));
        assertTrue(e.getMessage().contains("the data set says"), e.getMessage());
    }

    @Test
    void jpeg2000GarbageAfterTheSignatureIsRefused() throws Exception {
        Sample s = sample("MR_small_jp2klossless.dcm");
        byte[] garbage = Arrays.copyOf(s.frame(), 40);
        Arrays.fill(garbage, 4, 40, (byte) 0x7F);
        assertThrows(PixelDataException.class, () -> s.decoder().decode(garbage, s.pixel()));
    }

    @Test
    void twelveBitLossyJpegOfOtherDimensionsIsRefusedBeforeGdcmSeesIt() throws Exception {
        Sample s = sample("JPGExtended.dcm");
        ImagePixel larger = new ImagePixel(s.pixel().rows() * 2, s.pixel().columns(), 1, 16, 12, 0, 0, "MONOCHROME2", 1);
        assertThrows(PixelDataException.class, () -> s.decoder().decode(s.frame(), larger));
    }

    @Test
    void jpegFrameNotMatchingTheDataSetIsRefusedBeforeDecoding() throws Exception {
        Sample s = sample("SC_rgb_jpeg_dcmtk.dcm");
        ImagePixel mono = new ImagePixel(s.pixel().rows(), s.pixel().columns(), 1, 8, 8, 0, 0, "MONOCHROME2", 1);
        assertThrows(PixelDataException.class, () -> s.decoder().decode(s.frame(), mono));
    }

    @Test
    void syntaxesWithoutADecoderSayWhy() {
        String why = FrameDecoders.unsupported(TransferSyntax.of("1.2.840.10008.1.2.4.100"));
        assertTrue(why != null && why.contains("MPEG2"), why);
    }
}
