package dev.stratus.codec;

import java.util.List;

/**
 * Encapsulated pixel data (PS3.5 A.4): the first fragment is the Basic Offset Table (possibly empty),
 * the others are compressed data, kept exactly as stored and never decoded here.
 */
public record FragmentsElement(int tag, VR vr, List<Fragment> fragments) implements Element {
    public Fragment basicOffsetTable() { return fragments.getFirst(); }

    /** Fragments after the Basic Offset Table. */
    public List<Fragment> dataFragments() { return fragments.subList(1, fragments.size()); }

    @Override
    public String toString() { return Tag.toString(tag) + " " + vr + " fragments=" + fragments.size(); }
}
