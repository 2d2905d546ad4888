package dev.stratus.imaging;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * JPEG baseline (process 1, lossy, 8-bit) through TurboJPEG where libturbojpeg0 is installed (4-5x faster), else the
 * JDK's ImageIO writer. Colour is coded as YCbCr without chroma subsampling (4:4:4), so the data set says YBR_FULL
 * (PS3.5 8.2.1); MONOCHROME stays as it is. Only on explicit request: lossy.
 */
public final class JpegBaselineEncoder implements FrameEncoder {
    public static final int DEFAULT_QUALITY = 90;
    private static final String JDK_WRITER = "com.sun.imageio.plugins.jpeg.JPEGImageWriter";
    private static final String FORMAT = "javax_imageio_jpeg_image_1.0";

    private final int quality;
    private final TurboJpeg turbo;

    public JpegBaselineEncoder(int quality) {
        this(quality, TurboJpeg.INSTALLED);
    }

    JpegBaselineEncoder(int quality, TurboJpeg turbo) {
        this.quality = Math.clamp(quality, 1, 100);
        this.turbo = turbo;
    }

    @Override
    public boolean lossy() { return true; }

    @Override
    public String method() { return "ISO_10918_1"; }

    @Override
    public ImagePixel encodedPixel(ImagePixel s) throws UnsupportedPixelDataException {
        if (s.bitsAllocated() != 8 || s.signed()) throw new UnsupportedPixelDataException("JPEG baseline codes unsigned 8-bit samples; this image has " + s);
        boolean mono = s.samplesPerPixel() == 1 && s.photometric().startsWith("MONOCHROME");
        if (!mono && !(s.samplesPerPixel() == 3 && s.photometric().equals("RGB"))) {
            throw new UnsupportedPixelDataException("JPEG baseline is written from MONOCHROME or RGB; this image is " + s.photometric());
        }
        ImagePixel out = new ImagePixel(s.rows(), s.columns(), s.samplesPerPixel(), 8, 8, 0, 0, mono ? s.photometric() : "YBR_FULL", s.frames());
        return out;
    }

    @Override
    public byte[] encode(DecodedFrame frame) throws IOException {
        ImagePixel p = frame.pixel();
        encodedPixel(p);
        byte[] pixels = frame.pixels();
        if (turbo.available()) return even(turboCoded(pixels, p));
        BufferedImage image;
        if (p.samplesPerPixel() == 1) {
            image = new BufferedImage(p.columns(), p.rows(), BufferedImage.TYPE_BYTE_GRAY);
            int mask = (1 << p.bitsStored()) - 1;
            int[] samples = new int[p.pixels()];
            for (int i = 0; i < samples.length; i++) samples[i] = pixels[i] & mask;
            image.getRaster().setPixels(0, 0, p.columns(), p.rows(), samples);
        } else {
            if (p.planarConfiguration() == 1) pixels = Planes.interleave(pixels, p.pixels(), 3, 1);
            image = new BufferedImage(p.columns(), p.rows(), BufferedImage.TYPE_3BYTE_BGR);
            int[] samples = new int[pixels.length];
            for (int i = 0; i < samples.length; i++) samples[i] = pixels[i] & 0xFF;
            image.getRaster().setPixels(0, 0, p.columns(), p.rows(), samples);
        }
        ImageWriter writer = jdkWriter();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            noSubsampling(metadata);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return even(bytes.toByteArray());
    }

    private byte[] turboCoded(byte[] pixels, ImagePixel p) throws IOException {
        if (p.samplesPerPixel() == 1) {
            if (p.bitsStored() < 8) {
                int mask = (1 << p.bitsStored()) - 1;
                pixels = pixels.clone();
                for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (pixels[i] & mask);
            }
            return turbo.compress(pixels, p.columns(), p.rows(), TurboJpeg.GRAY, TurboJpeg.SAMPLING_GRAY, quality);
        }
        if (p.planarConfiguration() == 1) pixels = Planes.interleave(pixels, p.pixels(), 3, 1);
        return turbo.compress(pixels, p.columns(), p.rows(), TurboJpeg.RGB, TurboJpeg.SAMPLING_444, quality);
    }

    /** A fragment has an even length (PS3.5 A.4); libjpeg's decoders stop at EOI and ignore the pad. */
    private static byte[] even(byte[] out) {
        return (out.length & 1) == 1 ? java.util.Arrays.copyOf(out, out.length + 1) : out;
    }

    /** Every component sampled 1x1: YBR_FULL, not the 4:2:0 the writer would choose (which DICOM does not define). */
    private static void noSubsampling(IIOMetadata metadata) throws IOException {
        Element root = (Element) metadata.getAsTree(FORMAT);
        NodeList specs = root.getElementsByTagName("componentSpec");
        for (int i = 0; i < specs.getLength(); i++) {
            Element c = (Element) specs.item(i);
            c.setAttribute("HsamplingFactor", "1");
            c.setAttribute("VsamplingFactor", "1");
        }
        metadata.setFromTree(FORMAT, root);
    }

    private static ImageWriter jdkWriter() throws IOException {
        ImageWriter any = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().equals(JDK_WRITER)) return w;
            if (any == null) any = w;
        }
        if (any == null) throw new IOException("no ImageIO JPEG writer");
        return any;
    }
}
