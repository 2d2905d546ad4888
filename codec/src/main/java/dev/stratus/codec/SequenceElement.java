package dev.stratus.codec;

import java.util.List;

/** A sequence of items (VR SQ, or UN of undefined length that holds a sequence per PS3.5 6.2.2). */
public record SequenceElement(int tag, VR vr, List<DataSet> items) implements Element {
    @Override
    public String toString() { return Tag.toString(tag) + " " + vr + " items=" + items.size(); }
}
