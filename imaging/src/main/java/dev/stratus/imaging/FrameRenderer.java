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
 * The presentation pipeline of PS3.4 N.2 for one frame: Modality LUT (table or rescale), VOI (the asked window, else
 * the data set's first window, else its first VOI LUT, else the frame's minimum to maximum), Presentation LUT Shape and
 * MONOCHROME1 inversion, to 8-bit grey; RGB, YBR_FULL(_422) and PALETTE COLOR (inline or segmented) to 8-bit colour.
 * Then the viewport.
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
            // a YBR_FULL_422 frame here holds three samples per pixel (Ybr422 expands the stored form)
            case "RGB", "YBR_FULL", "YBR_FULL_422", "YBR_RCT", "YBR_ICT" -> colour(frame);
            case "PALETTE COLOR" -> palette(frame, ds);
            default -> throw new UnsupportedPixelDataException("photometric interpretation " + p.photometric() + " is not rendered");
        };
        return viewport == null ? image : fit(image, viewport);
    }

    private static BufferedImage grey(DecodedFrame frame, DataSet ds, int number, Window asked) throws IOException {
        ImagePixel p = frame.pixel();
        if (p.samplesPerPixel() != 1) throw new PixelDataException(p.photometric() + " with " + p.samplesPerPixel() + " samples per pixel");
        StoredValues values = new StoredValues(frame);
        Modality modality = Modality.of(ds, functionalGroup(ds, number, Tag.PixelValueTransformationSequence), p);
        String shape = ds.getString(Tag.PresentationLUTShape);
        // one inversion for either: DX and enhanced images pair MONOCHROME1 with INVERSE to mean one (dcmj2pnm agrees)
        boolean invert = p.photometric().equals("MONOCHROME1") || (shape != null && shape.strip().equals("INVERSE"));
        Voi voi = voi(ds, number, asked, modality);
        BufferedImage out = new BufferedImage(p.columns(), p.rows(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] target = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        if (p.bitsStored() > 16) {
            if (voi == null) {
                double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < p.pixels(); i++) {
                    double m = modality.apply(values.get(i));
                    lo = Math.min(lo, m);
                    hi = Math.max(hi, m);
                }
                voi = minToMax(lo, hi);
            }
            for (int i = 0; i < target.length; i++) target[i] = output(voi, modality.apply(values.get(i)), invert);
            return out;
        }
        // one modality and one output value per stored value between the frame's least and greatest, not per pixel
        StoredValues.Small small = values.small(target.length);
        short[] stored = small.biased();
        int least = small.least(), greatest = small.greatest();
        int index = small.bias() - least; // from a biased value to its place in the tables below
        double[] modal = new double[greatest - least + 1];
        for (int v = least; v <= greatest; v++) modal[v - least] = modality.apply(v);
        if (voi == null) { // C.11.2.1.2 gives no window: the frame's modality values from minimum to maximum
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (short v : stored) { // over the values present: a Modality LUT need not be monotonic
                double m = modal[v + index];
                lo = Math.min(lo, m);
                hi = Math.max(hi, m);
            }
            voi = minToMax(lo, hi);
        }
        byte[] lut = new byte[modal.length];
        for (int i = 0; i < lut.length; i++) lut[i] = output(voi, modal[i], invert);
        for (int i = 0; i < target.length; i++) target[i] = lut[stored[i] + index];
        return out;
    }

    /** A linear window that maps lo to 0 and hi to the maximum. */
    private static Voi minToMax(double lo, double hi) {
        return new Window((lo + hi) / 2 + 0.5, Math.max(1, hi - lo + 1), "LINEAR")::apply;
    }

    /** The VOI transformation (C.11.2) from modality values to 0..max. */
    private interface Voi {
        double apply(double modality, double max);
    }

    /**
     * The asked window, else the data set's first window (the frame's Frame VOI LUT first), else its first VOI LUT
     * (C.11.2.1.1: both may be present, and the choice is the application's), else null.
     */
    private static Voi voi(DataSet ds, int number, Window asked, Modality modality) throws PixelDataException {
        if (asked != null) return asked::apply;
        Window window = datasetWindow(functionalGroup(ds, number, Tag.FrameVOILUTSequence));
        if (window != null) return window::apply;
        List<DataSet> luts = ds.getItems(Tag.VOILUTSequence);
        if (luts.isEmpty()) return null;
        // the first value mapped is in the modality's output, which is signed when it can be negative (C.11.2.1.1)
        LookupTable lut = LookupTable.of(luts.getFirst(), Tag.LUTDescriptor, Tag.LUTData, modality.canBeNegative(), "VOI LUT Sequence");
        return (x, max) -> lut.get(Math.round(x)) * max / lut.max();
    }

    private static byte output(Voi voi, double modality, boolean invert) {
        int v = (int) Math.round(voi.apply(modality, 255));
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
        if (p.photometric().startsWith("YBR_FULL")) YbrToRgb.convert(rgb);
        BufferedImage out = new BufferedImage(p.columns(), p.rows(), BufferedImage.TYPE_3BYTE_BGR);
        out.getRaster().setPixels(0, 0, p.columns(), p.rows(), rgb);
        return out;
    }

    /** PALETTE COLOR (C.7.6.3.1.5): each stored value indexes the red, green and blue tables, inline or segmented (C.7.9.2). */
    private static BufferedImage palette(DecodedFrame frame, DataSet ds) throws IOException {
        ImagePixel p = frame.pixel();
        if (p.samplesPerPixel() != 1) throw new PixelDataException("PALETTE COLOR with " + p.samplesPerPixel() + " samples per pixel");
        LookupTable[] tables = new LookupTable[3];
        for (int c = 0; c < 3; c++) {
            int descriptor = Tag.RedPaletteColorLookupTableDescriptor + c;
            String what = List.of("red", "green", "blue").get(c) + " palette";
            if (ds.contains(Tag.RedPaletteColorLookupTableData + c)) {
                tables[c] = LookupTable.of(ds, descriptor, Tag.RedPaletteColorLookupTableData + c, p.signed(), what);
            } else if (ds.contains(Tag.SegmentedRedPaletteColorLookupTableData + c)) {
                tables[c] = LookupTable.segmented(ds, descriptor, Tag.SegmentedRedPaletteColorLookupTableData + c, p.signed(), what);
            } else {
                throw new PixelDataException("PALETTE COLOR without a " + what + " (C.7.6.3.1.6)");
            }
        }
        StoredValues values = new StoredValues(frame);
        int[] rgb = new int[p.pixels() * 3];
        for (int i = 0; i < p.pixels(); i++) {
            long v = values.get(i);
            for (int c = 0; c < 3; c++) rgb[3 * i + c] = eightBits(tables[c], tables[c].get(v));
        }
        BufferedImage out = new BufferedImage(p.columns(), p.rows(), BufferedImage.TYPE_3BYTE_BGR);
        out.getRaster().setPixels(0, 0, p.columns(), p.rows(), rgb);
        return out;
    }

    private static int eightBits(LookupTable t, int v) {
        return t.bits() > 8 ? v >> (t.bits() - 8) : v;
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
