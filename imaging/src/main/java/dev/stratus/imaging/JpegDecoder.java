package dev.stratus.imaging;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;

import javax.imageio.IIOException;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * JPEG baseline, extended (8-bit) and lossless (processes 14 and SV1) through TwelveMonkeys' ImageIO reader (8-bit
 * sequential DCT through TurboJPEG, lossless and 12-bit lossy through GDCM's Java binding where they are installed). The
 * raster is read as coded (no colour management); YCbCr becomes RGB here, as DCMTK's dcmdjpeg does by default:
 * when the data set says YBR_FULL or YBR_FULL_422 and the process is lossy (PS3.5 8.2.1 allows YBR_FULL_422 for
 * lossy JPEG only).
 */
public final class JpegDecoder implements FrameDecoder {
    private static final JPEGImageReaderSpi SPI = registered();
    private static final dev.stratus.codec.TransferSyntax EXTENDED = dev.stratus.codec.TransferSyntax.of("1.2.840.10008.1.2.4.51");
    private static final dev.stratus.codec.TransferSyntax LOSSLESS = dev.stratus.codec.TransferSyntax.of("1.2.840.10008.1.2.4.57");

    private final TurboJpeg turbo;

    public JpegDecoder() {
        this(TurboJpeg.INSTALLED);
    }

    JpegDecoder(TurboJpeg turbo) {
        this.turbo = turbo;
    }

    /** TwelveMonkeys' provider wraps the JDK's reader, which it finds when registered (as ImageIO does on the class path). */
    private static JPEGImageReaderSpi registered() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        JPEGImageReaderSpi spi = registry.getServiceProviderByClass(JPEGImageReaderSpi.class);
        if (spi == null) {
            registry.registerServiceProvider(new JPEGImageReaderSpi());
            spi = registry.getServiceProviderByClass(JPEGImageReaderSpi.class);
        }
        return spi;
    }

    @Override
    public DecodedFrame decode(byte[] encoded, ImagePixel pixel) throws IOException {
        JpegHeader header = JpegHeader.parse(encoded);
        if (header.width() != pixel.columns() || header.height() != pixel.rows() || header.components() != pixel.samplesPerPixel()) {
            throw new PixelDataException("JPEG frame is " + header.width() + "x" + header.height() + " with " + header.components()
                    + " component(s); the data set says " + pixel);
        }
        if (header.precision() > 8 && pixel.bitsAllocated() <= 8) {
            throw new PixelDataException("JPEG frame has " + header.precision() + "-bit samples; Bits Allocated is " + pixel.bitsAllocated());
        }
        if (!header.lossless() && header.precision() > 8) {
            // no Java decoder does process 4 (12-bit DCT); GDCM's IJG 12-bit build does, as DCMTK's does
            if (!Gdcm.available()) throw new UnsupportedPixelDataException("12-bit lossy JPEG (process 4) needs " + Gdcm.absence());
            return new DecodedFrame(Gdcm.decode(encoded, pixel, EXTENDED), pixel.withPlanarConfiguration(0));
        }
        ImagePixel result = pixel.withPlanarConfiguration(0);
        if (pixel.photometric().equals("YBR_FULL_422")) result = result.withPhotometric("YBR_FULL"); // the decoder upsamples the chroma
        if (header.lossless() && Gdcm.available()) {
            // GDCM's IJG decodes lossless JPEG 2.1x faster than TwelveMonkeys, identically (docs/benchmarks.md, imaging)
            return new DecodedFrame(Gdcm.decode(encoded, result, LOSSLESS), result);
        }
        if (turbo.available() && pixel.bitsAllocated() == 8) {
            DecodedFrame fast = turboDecoded(encoded, header, pixel);
            if (fast != null) return fast;
        }
        Raster raster;
        ImageReader reader = SPI.createReaderInstance();
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            reader.setInput(in);
            raster = reader.readRaster(0, null);
        } catch (IIOException | RuntimeException e) {
            throw new PixelDataException("JPEG frame cannot be decoded: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
        if (raster.getWidth() != pixel.columns() || raster.getHeight() != pixel.rows() || raster.getNumBands() != pixel.samplesPerPixel()) {
            throw new PixelDataException("JPEG decoder gave " + raster.getWidth() + "x" + raster.getHeight() + "x" + raster.getNumBands()
                    + " samples; the data set says " + pixel);
        }
        int[] samples = raster.getPixels(0, 0, pixel.columns(), pixel.rows(), (int[]) null);
        boolean ybr = pixel.photometric().startsWith("YBR_FULL");
        if (ybr && !header.lossless() && pixel.samplesPerPixel() == 3) {
            YbrToRgb.convert(samples);
            result = result.withPhotometric("RGB");
        }
        return new DecodedFrame(NativeSamples.pack(samples, result), result);
    }

    /**
     * TurboJPEG (3-5x faster) where its output means what the raster read gives after the conversion below: grey as
     * coded; colour coded as RGB kept when the data set says RGB; colour coded as YCbCr made RGB when the data set says
     * YBR_FULL or YBR_FULL_422 (libjpeg's tables, which YbrToRgb copies; its fancy upsampling of 4:2:2 and 4:2:0 is
     * jpeg-6b's, as in the JDK's reader). Null otherwise and on corrupt data (libjpeg's warnings): the raster read decides.
     */
    DecodedFrame turboDecoded(byte[] encoded, JpegHeader header, ImagePixel pixel) throws IOException {
        boolean sequentialDct = header.marker() == 0xC0 || header.marker() == 0xC1; // baseline, extended Huffman
        if (!sequentialDct || header.precision() != 8) return null;
        try (TurboJpeg.Decompression stream = turbo.decompression(encoded)) {
            TurboJpeg.Header h = stream.header();
            boolean sampled = h.subsampling() == TurboJpeg.SAMPLING_444 || h.subsampling() == TurboJpeg.SAMPLING_422
                    || h.subsampling() == TurboJpeg.SAMPLING_420;
            String photometric = pixel.photometric();
            ImagePixel result = pixel.withPlanarConfiguration(0);
            int format;
            if (pixel.samplesPerPixel() == 1 && h.colourSpace() == TurboJpeg.COLOUR_GRAY) {
                format = TurboJpeg.GRAY;
            } else if (pixel.samplesPerPixel() == 3 && sampled && h.colourSpace() == TurboJpeg.COLOUR_YCBCR && photometric.startsWith("YBR_FULL")) {
                format = TurboJpeg.RGB;
                result = result.withPhotometric("RGB");
            } else if (pixel.samplesPerPixel() == 3 && sampled && h.colourSpace() == TurboJpeg.COLOUR_RGB && photometric.equals("RGB")) {
                format = TurboJpeg.RGB;
            } else {
                return null;
            }
            return new DecodedFrame(stream.pixels(pixel.columns(), pixel.rows(), format), result);
        } catch (PixelDataException corrupt) {
            return null;
        }
    }
}
