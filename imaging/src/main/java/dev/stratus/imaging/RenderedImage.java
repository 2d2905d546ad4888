package dev.stratus.imaging;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;

/** A rendered frame as image/jpeg, image/png or image/gif bytes, through the JDK's ImageIO writers. */
public final class RenderedImage {
    public static final java.util.List<String> MEDIA_TYPES = java.util.List.of("image/jpeg", "image/png", "image/gif");

    private RenderedImage() {}

    /** @param quality 1..100, for JPEG only */
    public static byte[] encode(BufferedImage image, String mediaType, int quality) throws IOException {
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
}
