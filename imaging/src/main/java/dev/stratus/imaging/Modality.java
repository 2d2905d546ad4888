package dev.stratus.imaging;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;

/**
 * The Modality LUT transformation (PS3.3 C.11.1) from stored values to modality values: the Modality LUT Sequence's
 * table when there is one, else Rescale Slope and Intercept (of the frame's Pixel Value Transformation, which may be
 * the data set itself), else the identity.
 */
record Modality(LookupTable table, double slope, double intercept, boolean signedInput) {

    /**
     * @param ds        the data set (the Modality LUT Sequence is a top-level attribute)
     * @param transform the item holding Rescale Slope and Intercept for the frame
     */
    static Modality of(DataSet ds, DataSet transform, ImagePixel p) throws PixelDataException {
        var items = ds.getItems(Tag.ModalityLUTSequence);
        if (!items.isEmpty()) {
            // C.11.1.1: the first value mapped follows Pixel Representation
            return new Modality(LookupTable.of(items.getFirst(), Tag.LUTDescriptor, Tag.LUTData, p.signed(), "Modality LUT Sequence"),
                    1, 0, p.signed());
        }
        double slope = decimal(transform, Tag.RescaleSlope, 1), intercept = decimal(transform, Tag.RescaleIntercept, 0);
        return new Modality(null, slope == 0 ? 1 : slope, intercept, p.signed());
    }

    double apply(long stored) {
        return table != null ? table.get(stored) : stored * slope + intercept;
    }

    /** Whether some stored value maps to a negative modality value. */
    boolean canBeNegative() {
        return table == null && (signedInput || intercept < 0 || slope < 0);
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
}
