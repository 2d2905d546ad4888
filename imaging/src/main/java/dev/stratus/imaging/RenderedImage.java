package dev.stratus.imaging;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * A rendered frame as image/jpeg, image/png or image/gif bytes, through the JDK's ImageIO writers; JPEG through
 * TurboJPEG where libturbojpeg0 is installed (4-5x faster), colour with 4:2:0 chroma subsampling as ImageIO's writer
 * (and libjpeg's default) does: a browser's picture, smaller than 4:4:4 at the same quality.
 */
public final class RenderedImage {
    public static final java.util.List<String> MEDIA_TYPES = java.util.List.of("image/jpeg", "image/png", "image/gif");

    /** Where TYPE_3BYTE_BGR and TYPE_BYTE_GRAY keep their samples within a pixel. */
    private static final int[] BGR = {2, 1, 0}, GREY = {0};

    private RenderedImage() {}

    /** @param quality 1..100, for JPEG only */
    public static byte[] encode(BufferedImage image, String mediaType, int quality) throws IOException {
        return encode(image, mediaType, quality, TurboJpeg.INSTALLED);
    }

    static byte[] encode(BufferedImage image, String mediaType, int quality, TurboJpeg turbo) throws IOException {
        if (mediaType.equals("image/jpeg") && turbo.available()) {
            byte[] coded = turboCoded(image, Math.clamp(quality, 1, 100), turbo);
            if (coded != null) return coded;
        }
        String format = switch (mediaType) {
            case "image/jpeg" -> "jpeg";
            case "image/png" -> "png";
            case "image/gif" -> "gif";
            default -> throw new IllegalArgumentException("cannot render as " + mediaType + "; rendered media types are " + MEDIA_TYPES);
        };
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) throw new IOException("no ImageIO writer for " + format);
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(Math.clamp(quality, 1, 100) / 100f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The image's own bytes handed to TurboJPEG when its raster is the plain one FrameRenderer makes; else null. */
    private static byte[] turboCoded(BufferedImage image, int quality, TurboJpeg turbo) throws IOException {
        int format = switch (image.getType()) {
            case BufferedImage.TYPE_BYTE_GRAY -> TurboJpeg.GRAY;
            case BufferedImage.TYPE_3BYTE_BGR -> TurboJpeg.BGR;
            default -> -1;
        };
        if (format < 0) return null;
        WritableRaster raster = image.getRaster();
        int w = image.getWidth(), h = image.getHeight(), size = TurboJpeg.pixelSize(format);
        if (raster.getParent() != null || raster.getMinX() != 0 || raster.getMinY() != 0
                || !(raster.getSampleModel() instanceof PixelInterleavedSampleModel m) || m.getPixelStride() != size
                || m.getScanlineStride() != w * size || !java.util.Arrays.equals(m.getBandOffsets(), size == 3 ? BGR : GREY)
                || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || buffer.getNumBanks() != 1 || buffer.getOffset() != 0 || buffer.getData().length != w * h * size) {
            return null;
        }
        int subsampling = format == TurboJpeg.GRAY ? TurboJpeg.SAMPLING_GRAY : TurboJpeg.SAMPLING_420;
        return turbo.compress(buffer.getData(), w, h, format, subsampling, quality);
    }
}
