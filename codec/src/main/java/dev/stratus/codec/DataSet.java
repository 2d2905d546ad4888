package dev.stratus.codec;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * An ordered set of data elements (PS3.5 7), kept sorted by tag. An item of a sequence knows its parent
 * so that it inherits the Specific Character Set when it has none of its own.
 */
public final class DataSet implements Iterable<Element> {
    private int[] tags;
    private Element[] elements;
    private int size;
    private DataSet parent;
    private SpecificCharacterSet charset;

    public DataSet() {
        this(16);
    }

    public DataSet(int capacity) {
        tags = new int[Math.max(capacity, 4)];
        elements = new Element[tags.length];
    }

    public int size() { return size; }

    public boolean isEmpty() { return size == 0; }

    public DataSet parent() { return parent; }

    void setParent(DataSet parent) { this.parent = parent; }

    /** Index of tag, or -(insertion point) - 1; tags compare unsigned. */
    private int indexOf(int tag) {
        if (size > 0 && Integer.compareUnsigned(tags[size - 1], tag) < 0) return -size - 1;
        int lo = 0, hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(tags[mid], tag);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return mid;
        }
        return -lo - 1;
    }

    public Element get(int tag) {
        int i = indexOf(tag);
        return i >= 0 ? elements[i] : null;
    }

    public boolean contains(int tag) { return indexOf(tag) >= 0; }

    /** Adds or replaces the element with the same tag. */
    public void put(Element e) {
        int i = indexOf(e.tag());
        if (i >= 0) {
            elements[i] = e;
        } else {
            i = -i - 1;
            if (size == tags.length) {
                tags = Arrays.copyOf(tags, size * 2);
                elements = Arrays.copyOf(elements, size * 2);
            }
            if (i < size) {
                System.arraycopy(tags, i, tags, i + 1, size - i);
                System.arraycopy(elements, i, elements, i + 1, size - i);
            }
            tags[i] = e.tag();
            elements[i] = e;
            size++;
        }
        if (e instanceof SequenceElement sq) {
            for (DataSet item : sq.items()) item.setParent(this);
        }
        if (e.tag() == Tag.SpecificCharacterSet) charset = null;
    }

    public Element remove(int tag) {
        int i = indexOf(tag);
        if (i < 0) return null;
        Element e = elements[i];
        System.arraycopy(tags, i + 1, tags, i, size - i - 1);
        System.arraycopy(elements, i + 1, elements, i, size - i - 1);
        size--;
        elements[size] = null;
        if (tag == Tag.SpecificCharacterSet) charset = null;
        return e;
    }

    /** The element at position i in tag order. */
    public Element elementAt(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i);
        return elements[i];
    }

    @Override
    public Iterator<Element> iterator() {
        return new Iterator<>() {
            int i = 0;

            @Override
            public boolean hasNext() { return i < size; }

            @Override
            public Element next() {
                if (i >= size) throw new NoSuchElementException();
                return elements[i++];
            }
        };
    }

    /** The character set in force: this data set's (0008,0005), else the enclosing data set's, else the default. */
    public SpecificCharacterSet charset() {
        if (charset == null) {
            Element e = get(Tag.SpecificCharacterSet);
            if (e instanceof ValueElement v) {
                charset = SpecificCharacterSet.of(Values.splitAscii(v.bytes()));
            } else if (parent != null) {
                return parent.charset();
            } else {
                charset = SpecificCharacterSet.DEFAULT;
            }
        }
        return charset;
    }

    /** All values of a string element, decoded and trimmed as PS3.5 6.2 says for its VR; empty if absent. */
    public String[] getStrings(int tag) {
        Element e = get(tag);
        if (!(e instanceof ValueElement v)) return new String[0];
        if (v.vr() == VR.UN && !Tag.isPrivate(tag)) {
            // UN holds the value as implicit VR little endian would (PS3.5 6.2.2): read it with the dictionary's VR.
            VR known = DataDictionary.vrOf(tag);
            if (known.isString()) v = new ValueElement(tag, known, v.bytes());
        }
        if (!v.vr().isString()) return new String[0];
        return Values.strings(v, charset());
    }

    /** The first value of a string element, or null if absent or empty. */
    public String getString(int tag) {
        String[] s = getStrings(tag);
        return s.length == 0 || s[0].isEmpty() ? null : s[0];
    }

    /** The first value of a binary or IS integer element, or {@code otherwise}. */
    public int getInt(int tag, int otherwise) {
        Element e = get(tag);
        if (!(e instanceof ValueElement v)) return otherwise;
        long[] ints = Values.longs(v, charset());
        return ints.length == 0 ? otherwise : (int) ints[0];
    }

    public byte[] getBytes(int tag) {
        return get(tag) instanceof ValueElement v ? v.bytes() : null;
    }

    public List<DataSet> getItems(int tag) {
        return get(tag) instanceof SequenceElement sq ? sq.items() : List.of();
    }

    /** Sets a string element, encoding with this data set's character set and padding to even length. */
    public void setString(int tag, VR vr, String... values) {
        byte[] bytes = charset().encode(String.join("\\", values), vr);
        put(new ValueElement(tag, vr, Values.padded(bytes, vr)));
    }

    /** Sets a US/SS/UL/SL element. */
    public void setInt(int tag, VR vr, int... values) {
        put(new ValueElement(tag, vr, Values.encodeInts(vr, values)));
    }

    public void setSequence(int tag, List<DataSet> items) {
        put(new SequenceElement(tag, VR.SQ, items));
    }

    /** Deep comparison: same tags, VRs and values. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DataSet d) || d.size != size) return false;
        for (int i = 0; i < size; i++) {
            if (tags[i] != d.tags[i] || !elements[i].equals(d.elements[i])) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < size; i++) h = h * 31 + tags[i];
        return h;
    }

    @Override
    public String toString() {
        return "DataSet[" + size + " elements]";
    }
}
