package dev.stratus.web;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** /rendered and /thumbnail over HTTP: images a browser shows, as DCMTK renders the same frame and window. */
class RenderedTest {
    @TempDir
    Path dir;
    TestArchive archive;

    @BeforeEach
    void start() throws Exception {
        archive = new TestArchive(dir, TestBackend.SQLITE);
    }

    @AfterEach
    void stop() {
        archive.close();
    }

    private String store(String name) throws Exception {
        byte[] file = Files.readAllBytes(TestFiles.file(name));
        assertEquals(200, archive.stow("/dicomweb/studies", new Multipart().part(file).end()).statusCode());
        DataSet ds = DicomReader.read(file).dataSet();
        return "/dicomweb/studies/" + ds.getString(Tag.StudyInstanceUID) + "/series/" + ds.getString(Tag.SeriesInstanceUID)
                + "/instances/" + ds.getString(Tag.SOPInstanceUID);
    }

    private HttpResponse<byte[]> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(archive.base + path));
        if (accept != null) b.header("Accept", accept);
        return archive.send(b);
    }

    @Test
    void renderedInstanceIsAPngWindowedAsDcmj2pnmRendersIt() throws Exception {
        String instance = store("CT_small.dcm");
        HttpResponse<byte[]> r = get(instance + "/rendered?window=40,400", "image/png");
        assertEquals(200, r.statusCode(), new String(r.body()));
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElseThrow());
        assertLooksAsDcmj2pnmRenders(ImageIO.read(new ByteArrayInputStream(r.body())), "CT_small.dcm", "+Ww", "40", "400");
    }

    @Test
    void ybrFull422StoredUncompressedIsRenderedInColourAsDcmj2pnmRendersIt() throws Exception {
        // PS3.3 C.7.6.3.1.2: two samples per pixel as stored; the archive finds the frame by that size and expands it
        String instance = store("SC_ybr_full_422_uncompressed.dcm");
        HttpResponse<byte[]> r = get(instance + "/rendered", "image/png");
        assertEquals(200, r.statusCode(), new String(r.body()));
        assertLooksAsDcmj2pnmRenders(ImageIO.read(new ByteArrayInputStream(r.body())), "SC_ybr_full_422_uncompressed.dcm");
    }

    /** PSNR of at least 40 dB against dcmj2pnm's rendering of the pydicom file with the options. */
    private void assertLooksAsDcmj2pnmRenders(BufferedImage ours, String name, String... options) throws Exception {
        boolean dcmtk = false;
        for (String d : System.getenv("PATH").split(":")) dcmtk |= Files.isExecutable(Path.of(d, "dcmj2pnm"));
        if (!dcmtk && "true".equals(System.getenv("CI"))) throw new IllegalStateException("dcmj2pnm missing: apt-get install dcmtk");
        assumeTrue(dcmtk, "dcmj2pnm not installed");
        Path png = dir.resolve("oracle.png");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("dcmj2pnm", "--write-png"));
        cmd.addAll(java.util.List.of(options));
        cmd.add(TestFiles.file(name).toString());
        cmd.add(png.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0);
        BufferedImage oracle = ImageIO.read(png.toFile());
        assertEquals(oracle.getWidth(), ours.getWidth());
        assertEquals(oracle.getHeight(), ours.getHeight());
        double psnr = psnr(oracle, ours);
        assertTrue(psnr >= 40, name + ": PSNR " + psnr + " dB against dcmj2pnm");
    }

    @Test
    void compressedFrameIsRenderedAsJpegFittedToTheViewport() throws Exception {
        String instance = store("SC_rgb_rle_2frame.dcm");
        HttpResponse<byte[]> r = get(instance + "/frames/2/rendered?viewport=50,20&quality=80", null);
        assertEquals(200, r.statusCode(), new String(r.body()));
        assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElseThrow(), "JPEG when anything is accepted");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertEquals(20, img.getHeight(), "fits the viewport's height (the frame is square)");
        assertEquals(20, img.getWidth());
    }

    @Test
    void studiesSeriesAndFrameListsAreRenderedAsMultipartImages() throws Exception {
        String instance = store("SC_rgb_rle_2frame.dcm");
        String series = instance.substring(0, instance.indexOf("/instances/"));
        String study = series.substring(0, series.indexOf("/series/"));
        HttpResponse<byte[]> frames = get(instance + "/frames/1,2/rendered", "multipart/related; type=\"image/png\"");
        assertEquals(200, frames.statusCode(), new String(frames.body()));
        var parts = TestObjects.parts(frames.headers().firstValue("Content-Type").orElseThrow(), frames.body());
        assertEquals(2, parts.size());
        for (byte[] part : parts) assertEquals(100, ImageIO.read(new ByteArrayInputStream(part)).getWidth());
        for (String level : new String[] {study, series}) {
            HttpResponse<byte[]> r = get(level + "/rendered", "multipart/related; type=\"image/jpeg\"");
            assertEquals(200, r.statusCode(), level);
            assertTrue(r.headers().firstValue("Content-Type").orElseThrow().contains("image/jpeg"));
            assertEquals(1, TestObjects.parts(r.headers().firstValue("Content-Type").orElseThrow(), r.body()).size(), "one instance, its first frame");
        }
    }

    /**
     * A VOI LUT whose table is over the metadata's inline limit stays in the blob in the header the metadata path keeps;
     * rendering after a metadata request must still apply the table: the image equals one rendered from the file itself.
     */
    @Test
    void aLutLeftInTheBlobByTheMetadataHeaderIsStillApplied() throws Exception {
        dev.stratus.codec.DicomFile f = DicomReader.read(Files.readAllBytes(TestFiles.file("MR_small.dcm")));
        DataSet ds = f.dataSet();
        byte[] table = new byte[2 * 4096]; // 8 KB: over the 1 KB the metadata path keeps inline
        for (int i = 0; i < 4096; i++) {
            int v = (int) Math.round(4095 / (1 + Math.exp(-(i - 800) / 150.0)));
            table[2 * i] = (byte) v;
            table[2 * i + 1] = (byte) (v >> 8);
        }
        DataSet item = new DataSet();
        item.setInt(Tag.LUTDescriptor, dev.stratus.codec.VR.US, 4096, 0, 12);
        item.put(new dev.stratus.codec.ValueElement(Tag.LUTData, dev.stratus.codec.VR.OW, table));
        ds.setSequence(Tag.VOILUTSequence, java.util.List.of(item));
        for (int tag : new int[] {Tag.WindowCenter, Tag.WindowWidth}) ds.remove(tag);
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        dev.stratus.codec.DicomWriter.writeFile(file, ds, f.transferSyntax(), null);
        assertEquals(200, archive.stow("/dicomweb/studies", new Multipart().part(file.toByteArray()).end()).statusCode());
        String instance = "/dicomweb/studies/" + ds.getString(Tag.StudyInstanceUID) + "/series/" + ds.getString(Tag.SeriesInstanceUID)
                + "/instances/" + ds.getString(Tag.SOPInstanceUID);

        HttpResponse<byte[]> metadata = get(instance + "/metadata", "application/dicom+json");
        assertTrue(new String(metadata.body()).contains("BulkDataURI"), "the table is left in the blob by the metadata path");
        BufferedImage served = ImageIO.read(new ByteArrayInputStream(get(instance + "/rendered", "image/png").body()));
        dev.stratus.codec.DicomFile stored = DicomReader.read(file.toByteArray());
        BufferedImage expected = dev.stratus.imaging.FrameRenderer.render(new dev.stratus.imaging.DecodedFrame(stored.dataSet().getBytes(Tag.PixelData),
                dev.stratus.imaging.ImagePixel.of(stored.dataSet())), stored.dataSet(), 1, null, null);
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                assertEquals(expected.getRaster().getSample(x, y, 0), served.getRaster().getSample(x, y, 0), "pixel " + x + "," + y);
            }
        }
    }

    /**
     * Rendered images, parsed headers and frames are kept in memory by blob: asked again they are the same; an instance
     * replaced in between (same UIDs, other pixels) is rendered and served anew, never from what was kept of the old one.
     */
    @Test
    void aReplacedInstanceIsRenderedAndServedAnewNotFromMemory() throws Exception {
        byte[] original = Files.readAllBytes(TestFiles.file("CT_small.dcm"));
        String instance = store("CT_small.dcm");
        String octets = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*";
        byte[] first = get(instance + "/rendered", "image/png").body();
        byte[] framesBefore = get(instance + "/frames/1", octets).body();
        assertArrayEquals(first, get(instance + "/rendered", "image/png").body(), "asked again: the same image");

        dev.stratus.codec.DicomFile f = DicomReader.read(original);
        DataSet ds = f.dataSet();
        byte[] pixels = ((dev.stratus.codec.ValueElement) ds.get(Tag.PixelData)).bytes().clone();
        for (int i = 0; i < pixels.length; i += 2) pixels[i + 1] ^= 0x01; // every sample moved by 256: another image
        ds.put(new dev.stratus.codec.ValueElement(Tag.PixelData, dev.stratus.codec.VR.OW, pixels));
        java.io.ByteArrayOutputStream replaced = new java.io.ByteArrayOutputStream();
        dev.stratus.codec.DicomWriter.writeFile(replaced, ds, f.transferSyntax(), null);
        assertEquals(200, archive.stow("/dicomweb/studies", new Multipart().part(replaced.toByteArray()).end()).statusCode());

        byte[] after = get(instance + "/rendered", "image/png").body();
        assertTrue(!java.util.Arrays.equals(first, after), "the replaced instance's pixels are rendered, not the kept image");
        byte[] framesAfter = get(instance + "/frames/1", octets).body();
        assertTrue(new String(framesAfter, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains(new String(pixels, java.nio.charset.StandardCharsets.ISO_8859_1)),
                "the frame is the new version's pixels");
        assertTrue(!java.util.Arrays.equals(framesBefore, framesAfter));
        assertEquals(204, archive.send(HttpRequest.newBuilder(URI.create(archive.base + instance)).DELETE()).statusCode());
        assertEquals(404, get(instance + "/rendered", "image/png").statusCode(), "a deleted instance is not rendered from memory");
        assertEquals(404, get(instance + "/frames/1", octets).statusCode(), "nor are its frames served");
    }

    @Test
    void thumbnailsOfStudySeriesAndInstanceAreSmallImages() throws Exception {
        boolean charls = dev.stratus.imaging.JpegLsDecoder.available();
        if (!charls && "true".equals(System.getenv("CI"))) throw new IllegalStateException("libcharls2 missing");
        assumeTrue(charls, "CharLS (libcharls2) not installed: JPEG-LS thumbnails not tested");
        String instance = store("MR_small_jpeg_ls_lossless.dcm");
        String series = instance.substring(0, instance.indexOf("/instances/"));
        String study = series.substring(0, series.indexOf("/series/"));
        for (String path : new String[] {study, series, instance, instance + "/frames/1"}) {
            HttpResponse<byte[]> r = get(path + "/thumbnail", "image/png");
            assertEquals(200, r.statusCode(), path + ": " + new String(r.body()));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
            assertEquals(128, Math.max(img.getWidth(), img.getHeight()), path);
        }
        HttpResponse<byte[]> again = get(study + "/thumbnail?annotation=patient", "image/png");
        assertEquals(200, again.statusCode());
        assertTrue(again.headers().firstValue("Warning").orElse("").contains("annotation"), "an ignored parameter is said to be ignored");
    }

    @Test
    void badParametersAndUnavailableTypesAreRefusedSayingWhy() throws Exception {
        String instance = store("CT_small.dcm");
        HttpResponse<byte[]> window = get(instance + "/rendered?window=40", null);
        assertEquals(400, window.statusCode());
        assertTrue(new String(window.body()).contains("window"), new String(window.body()));
        HttpResponse<byte[]> huge = get(instance + "/rendered?viewport=100000,100000", null);
        assertEquals(400, huge.statusCode());
        HttpResponse<byte[]> tiff = get(instance + "/rendered", "image/tiff");
        assertEquals(406, tiff.statusCode());
        assertTrue(new String(tiff.body()).contains("image/png"), new String(tiff.body()));
        assertEquals(404, get(instance + "/frames/2/rendered", null).statusCode(), "CT_small has one frame");
    }

    @Test
    void framesAreEncodedInACompressedTypeTheyAreNotStoredIn() throws Exception {
        String instance = store("CT_small.dcm");
        HttpResponse<byte[]> rle = get(instance + "/frames/1", "multipart/related; type=\"image/dicom-rle\"");
        assertEquals(200, rle.statusCode(), new String(rle.body()));
        byte[] frame = TestObjects.parts(rle.headers().firstValue("Content-Type").orElseThrow(), rle.body()).getFirst();
        DataSet ds = DicomReader.read(Files.readAllBytes(TestFiles.file("CT_small.dcm"))).dataSet();
        var pixel = dev.stratus.imaging.ImagePixel.of(ds);
        assertArrayEquals(ds.getBytes(Tag.PixelData), new dev.stratus.imaging.RleDecoder().decode(frame, pixel).pixels(), "lossless");
        HttpResponse<byte[]> jpeg = get(instance + "/frames/1", "image/jpeg");
        assertEquals(406, jpeg.statusCode(), "16-bit pixels are not put into 8-bit JPEG");
        assertTrue(new String(jpeg.body()).contains("8-bit"), new String(jpeg.body()));
    }

    static double psnr(BufferedImage a, BufferedImage b) {
        double sum = 0;
        long n = 0;
        int bands = Math.min(a.getRaster().getNumBands(), b.getRaster().getNumBands());
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                for (int band = 0; band < bands; band++) {
                    double d = (a.getRaster().getSample(x, y, band)) - (b.getRaster().getSample(x, y, band));
                    sum += d * d;
                    n++;
                }
            }
        }
        return sum == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 * n / sum);
    }
}
