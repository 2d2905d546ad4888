package dev.stratus.archive;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Element;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.SequenceElement;

import java.util.ArrayList;
import java.util.List;

/** Data set transformations the archive services share. */
public final class DataSets {
    private DataSets() {}

    /** Heap an element costs beside its value: the record, its array and its slot (ParseBudget's "about 100 bytes"). */
    private static final long ELEMENT_BYTES = 100;

    /** About how much heap a parsed data set holds: ~100 bytes per element, item and fragment, plus its values. */
    public static long heapEstimate(DataSet ds) {
        long bytes = ELEMENT_BYTES;
        for (Element e : ds) {
            bytes += ELEMENT_BYTES;
            switch (e) {
                case SequenceElement sq -> { for (DataSet item : sq.items()) bytes += heapEstimate(item); }
                case FragmentsElement f -> bytes += ELEMENT_BYTES * f.fragments().size();
                case dev.stratus.codec.ValueElement v -> bytes += v.length();
                case BulkDataElement b -> { }
            }
        }
        return bytes;
    }

    /** A copy without bulk data (values left in the source, pixel data fragments): what the index keeps. */
    public static DataSet withoutBulkData(DataSet ds) {
        DataSet out = new DataSet(ds.size());
        for (Element e : ds) {
            switch (e) {
                case BulkDataElement b -> { }
                case FragmentsElement f -> { }
                case SequenceElement sq -> {
                    List<DataSet> items = new ArrayList<>(sq.items().size());
                    for (DataSet item : sq.items()) items.add(withoutBulkData(item));
                    out.put(new SequenceElement(sq.tag(), sq.vr(), items));
                }
                default -> out.put(e);
            }
        }
        return out;
    }
}
