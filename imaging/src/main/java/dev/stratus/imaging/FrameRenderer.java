package dev.stratus.imaging;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;

import java.awt.Graphics2D;
import java.io.IOException;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;

/**
 * The presentation pipeline of PS3.4 N.2 for one frame: Modality LUT (rescale), VOI (the asked window, else the data
 * set's first, else the frame's minimum to maximum), Presentation LUT Shape and MONOCHROME1 inversion, to 8-bit grey;
 * RGB, YBR_FULL and PALETTE COLOR to 8-bit colour. Then the viewport.
 */
public final class FrameRenderer {
    private FrameRenderer() {}

    /**
     * @param frame  native pixels of frame {@code number} (1-based)
     * @param ds     the instance's attributes (pixel transformation and VOI, including the functional groups)
     * @param window the asked window, or null
     * @param viewport the asked viewport, or null for the frame's own size
     */
    public static BufferedImage render(DecodedFrame frame, DataSet ds, int number, Window window, Viewport viewport) throws IOException {
        ImagePixel p = frame.pixel();
        BufferedImage image = switch (p.photometric()) {
            case "MONOCHROME1", "MONOCHROME2" -> grey(frame, ds, number, window);
            case "RGB", "YBR_FULL", "YBR_RCT", "YBR_ICT" -> colour(frame);
            case "PALETTE COLOR" -> palette(frame, ds);
            default -> throw new UnsupportedPixelDataException("photometric interpretation " + p.photometric() + " is not rendered");
        };
        return viewport == null ? image : fit(image, viewport);
    }

    private static BufferedImage grey(DecodedFrame frame, DataSet ds, int number, Window asked) throws IOException {
        ImagePixel p = frame.pixel();
        if (p.samplesPerPixel() != 1) throw new PixelDataException(p.photometric() + " with " + p.samplesPerPixel() + " samples per pixel");
        DataSet transform = functionalGroup(ds, number, Tag.PixelValueTransformationSequence);
        double slope = decimal(transform, Tag.RescaleSlope, 1), intercept = decimal(transform, Tag.RescaleIntercept, 0);
        if (slope == 0) slope = 1;
        Window window = asked != null ? asked : datasetWindow(functionalGroup(ds, number, Tag.FrameVOILUTSequence));
        StoredValues values = new StoredValues(frame);
        if (window == null) {
            long[] range = values.range();
            double a = range[0] * slope + intercept, b = range[1] * slope + intercept;
            double lo = Math.min(a, b), hi = Math.max(a, b);
            window = new Window((lo + hi) / 2 + 0.5, Math.max(1, hi - lo + 1), "LINEAR"); // maps lo to 0 and hi to 255
        }
        String shape = ds.getString(Tag.PresentationLUTShape);
        boolean invert = p.photometric().equals("MONOCHROME1") != (shape != null && shape.strip().equals("INVERSE"));
        BufferedImage out = new BufferedImage(p.columns(), p.rows(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] target = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        if (p.bitsStored() <= 16) {
            // one lookup per possible stored value rather than per pixel
            int size = 1 << p.bitsStored(), offset = p.signed() ? size / 2 : 0;
            byte[] lut = new byte[size];
            for (int i = 0; i < size; i++) lut[i] = output(window, (i - offset) * slope + intercept, invert);
            for (int i = 0; i < target.length; i++) target[i] = lut[(int) values.get(i) + offset];
        } else {
            for (int i = 0; i < target.length; i++) target[i] = output(window, values.get(i) * slope + intercept, invert);
        }
        return out;
    }

    private static byte output(Window w, double modality, boolean invert) {
        int v = (int) Math.round(w.apply(modality, 255));
        v = Math.clamp(v, 0, 255);
        return (byte) (invert ? 255 - v : v);
    }

    /** The data set's first window (C.11.2), or null. */
    private static Window datasetWindow(DataSet ds) {
        String[] centers = ds.getStrings(Tag.WindowCenter), widths = ds.getStrings(Tag.WindowWidth);
        if (centers.length == 0 || widths.length == 0) return null;
        try {
            return new Window(Double.parseDouble(centers[0].strip()), Double.parseDouble(widths[0].strip()), ds.getString(Tag.VOILUTFunction));
        } catch (IllegalArgumentException e) {
            return null; // a window that says nothing usable: fall back to the frame's range
        }
    }

    /** The item of a functional group macro for a frame (per-frame first, then shared), or the data set itself. */
    private static DataSet functionalGroup(DataSet ds, int number, int macro) {
        List<DataSet> perFrame = ds.getItems(Tag.PerFrameFunctionalGroupsSequence);
        if (number >= 1 && number <= perFrame.size()) {
            List<DataSet> items = perFrame.get(number - 1).getItems(macro);
            if (!items.isEmpty()) return items.getFirst();
        }
        List<DataSet> shared = ds.getItems(Tag.SharedFunctionalGroupsSequence);
        if (!shared.isEmpty()) {
            List<DataSet> items = shared.getFirst().getItems(macro);
            if (!items.isEmpty()) return items.getFirst();
        }
        return ds;
    }

    private static double decimal(DataSet ds, int tag, double otherwise) {
        String s = ds.getString(tag);
        if (s == null) return otherwise;
        try {
            double d = Double.parseDouble(s.strip());
            return Double.isFinite(d) ? d : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static BufferedImage colour(DecodedFrame frame) throws IOException {
        ImagePixel p = frame.pixel();
        if (p.samplesPerPixel() != 3) throw new PixelDataException(p.photometric() + " with " + p.samplesPerPixel() + " samples per pixel");
        byte[] pixels = frame.pixels();
        int bytes = p.bytesPerSample();
        if (p.planarConfiguration() == 1) pixels = Planes.interleave(pixels, p.pixels(), 3, bytes);
        int[] rgb = new int[p.pixels() * 3];
        int shift = Math.max(0, p.bitsStored() - 8);
        for (int i = 0; i < rgb.length; i++) {
            int at = i * bytes;
            long v = pixels[at + bytes - 1] & 0xFF;
            for (int b = bytes - 2; b >= 0; b--) v = v << 8 | (pixels[at + b] & 0xFF);
            rgb[i] = (int) (v >> shift) & 0xFF;
        }
        if (p.photometric().equals("YBR_FULL")) YbrToRgb.convert(rgb);
        BufferedImage out = new BufferedImage(p.columns(), p.rows(), BufferedImage.TYPE_3BYTE_BGR);
        out.getRaster().setPixels(0, 0, p.columns(), p.rows(), rgb);
        return out;
    }

    /** PALETTE COLOR (C.7.6.3.1.5): each stored value indexes the red, green and blue tables. */
    private static BufferedImage palette(DecodedFrame frame, DataSet ds) throws IOException {
        ImagePixel p = frame.pixel();
        Lut red = Lut.of(ds, Tag.RedPaletteColorLookupTableDescriptor, Tag.RedPaletteColorLookupTableData);
        Lut green = Lut.of(ds, Tag.RedPaletteColorLookupTableDescriptor + 1, Tag.RedPaletteColorLookupTableData + 1);
        Lut blue = Lut.of(ds, Tag.RedPaletteColorLookupTableDescriptor + 2, Tag.RedPaletteColorLookupTableData + 2);
        StoredValues values = new StoredValues(frame);
        int[] rgb = new int[p.pixels() * 3];
        for (int i = 0; i < p.pixels(); i++) {
            long v = values.get(i);
            rgb[3 * i] = red.get(v);
            rgb[3 * i + 1] = green.get(v);
            rgb[3 * i + 2] = blue.get(v);
        }
        BufferedImage out = new BufferedImage(p.columns(), p.rows(), BufferedImage.TYPE_3BYTE_BGR);
        out.getRaster().setPixels(0, 0, p.columns(), p.rows(), rgb);
        return out;
    }

    /** A palette table: descriptor (entries, 0 meaning 65536; first mapped value; bits per entry) and 8 or 16-bit data. */
    private record Lut(int entries, int first, int bits, byte[] data) {
        static Lut of(DataSet ds, int descriptorTag, int dataTag) throws IOException {
            byte[] d = ds.getBytes(descriptorTag), data = ds.getBytes(dataTag);
            if (d == null || d.length < 6 || data == null) {
                throw new UnsupportedPixelDataException("PALETTE COLOR without inline palette tables (segmented palettes are not rendered)");
            }
            int entries = (d[0] & 0xFF) | (d[1] & 0xFF) << 8;
            if (entries == 0) entries = 65536;
            int first = (short) ((d[2] & 0xFF) | (d[3] & 0xFF) << 8);
            int bits = (d[4] & 0xFF) | (d[5] & 0xFF) << 8;
            if (data.length < entries * (bits > 8 || data.length >= 2 * entries ? 2 : 1)) {
                throw new PixelDataException("palette table has " + data.length + " bytes for " + entries + " entries");
            }
            return new Lut(entries, first, bits, data);
        }

        int get(long value) {
            int i = (int) Math.clamp(value - first, 0, entries - 1);
            if (data.length >= 2 * entries) {
                int v = (data[2 * i] & 0xFF) | (data[2 * i + 1] & 0xFF) << 8;
                return bits > 8 ? v >> 8 : v & 0xFF;
            }
            return data[i] & 0xFF;
        }
    }

    /** Scales the (region of the) image to fit the viewport, keeping its aspect ratio. */
    private static BufferedImage fit(BufferedImage image, Viewport v) {
        int sx = Math.min(v.sx(), image.getWidth() - 1), sy = Math.min(v.sy(), image.getHeight() - 1);
        int sw = v.sw() == 0 ? image.getWidth() - sx : Math.min(v.sw(), image.getWidth() - sx);
        int sh = v.sh() == 0 ? image.getHeight() - sy : Math.min(v.sh(), image.getHeight() - sy);
        double scale = Math.min((double) v.width() / sw, (double) v.height() / sh);
        int w = Math.max(1, (int) Math.round(sw * scale)), h = Math.max(1, (int) Math.round(sh * scale));
        BufferedImage out = new BufferedImage(w, h, image.getType());
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, sx, sy, sx + sw, sy + sh, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
