package dev.stratus.codec.xml;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Element;
import dev.stratus.codec.SequenceElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.codec.Values;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads one Native DICOM Model document (PS3.19 A.1) into a data set, as {@link NativeXmlWriter} writes it: a
 * BulkData uri becomes a {@code BulkDataElement} with that uri (offset and length -1), InlineBinary the bytes,
 * strings are kept in UTF-8 (Specific Character Set "ISO_IR 192" when any is not ASCII), a private attribute goes
 * into the block its privateCreator holds in its data set. No DTD, no external entity; nesting and the number of
 * attributes are bounded. Anything else that does not follow A.1 is a {@link NativeXmlException} naming the element.
 */
public final class NativeXmlReader {
    private static final String[] GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};
    private static final String[] COMPONENTS = {"FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"};

    private final int maxDepth;
    private final long maxElements;
    private long elements;
    private boolean nonAscii;
    private XMLStreamReader xml;

    /**
     * @param maxDepth    how deeply sequences may nest
     * @param maxElements attributes and items the document may hold, every level counted
     */
    public NativeXmlReader(int maxDepth, long maxElements) {
        this.maxDepth = maxDepth;
        this.maxElements = maxElements;
    }

    public DataSet read(InputStream in) {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false); // no entity expansion, no external fetch
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        try {
            xml = f.createXMLStreamReader(in);
            xml.nextTag();
            if (!xml.getLocalName().equals("NativeDicomModel")) {
                throw error("the root element is <" + xml.getLocalName() + ">, not <NativeDicomModel>");
            }
            DataSet ds = dataSet(0, "");
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT) throw error("content after </NativeDicomModel>");
            }
            if (nonAscii) inUtf8(ds, true);
            return ds;
        } catch (XMLStreamException e) {
            throw new NativeXmlException("malformed XML: " + e.getMessage());
        } catch (IllegalArgumentException e) { // a number, a UID tag or a base64 value that does not parse
            throw new NativeXmlException("XML" + where() + ": " + e.getMessage());
        }
    }

    /** The DicomAttribute children of the current element, up to its end tag. */
    private DataSet dataSet(int depth, String path) throws XMLStreamException {
        DataSet ds = new DataSet();
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (!xml.getLocalName().equals("DicomAttribute")) throw error("<" + xml.getLocalName() + "> where a <DicomAttribute> was expected");
            if (++elements > maxElements) throw error("more than " + maxElements + " attributes and items");
            Element e = attribute(ds, depth, path);
            if (e != null) ds.put(e);
        }
        return ds;
    }

    private Element attribute(DataSet ds, int depth, String path) throws XMLStreamException {
        String tagText = xml.getAttributeValue(null, "tag");
        if (tagText == null || !tagText.matches("[0-9A-Fa-f]{8}")) throw error("tag=\"" + tagText + "\" is not 8 hexadecimal digits");
        int tag = (int) Long.parseLong(tagText, 16);
        String creator = xml.getAttributeValue(null, "privateCreator");
        if (creator != null && Tag.isPrivate(tag)) tag = inBlock(ds, tag, creator); // A.1: gggg00ee, the block is the creator's
        String vrText = xml.getAttributeValue(null, "vr");
        VR vr = vrText == null ? DataDictionary.vrOf(tag) : VR.ofName(vrText);
        String at = path + Tag.toString(tag);
        if (vr == null) throw error(at + " has vr=\"" + vrText + "\", not a VR");
        List<String> values = new ArrayList<>();
        List<DataSet> items = new ArrayList<>();
        Element bulk = null;
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            switch (xml.getLocalName()) {
                case "Value" -> set(values, number(at, values.size()), xml.getElementText());
                case "PersonName" -> set(values, number(at, values.size()), personName());
                case "Item" -> {
                    if (depth + 1 > maxDepth) throw error(at + " nests sequences deeper than " + maxDepth);
                    if (++elements > maxElements) throw error("more than " + maxElements + " attributes and items");
                    set(items, number(at, items.size()), dataSet(depth + 1, at + "/"));
                }
                case "BulkData" -> {
                    String uri = xml.getAttributeValue(null, "uri");
                    if (uri == null || uri.isEmpty()) throw error(at + " has a <BulkData> without uri (a uuid alone is not supported)");
                    bulk = new BulkDataElement(tag, vr, -1, -1, false, uri);
                    xml.nextTag();
                }
                case "InlineBinary" -> bulk = new ValueElement(tag, vr, Base64.getMimeDecoder().decode(xml.getElementText()));
                default -> throw error(at + " holds <" + xml.getLocalName() + ">, not Value, PersonName, Item, BulkData or InlineBinary");
            }
        }
        if (bulk != null) return bulk;
        if (vr == VR.SQ) return new SequenceElement(tag, VR.SQ, items);
        return new ValueElement(tag, vr, encode(vr, values, at));
    }

    /** Text is kept in UTF-8: the data set says so, and so does every item that names a character set of its own. */
    private static void inUtf8(DataSet ds, boolean top) {
        if (top || ds.contains(Tag.SpecificCharacterSet)) ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        for (Element e : ds) {
            if (e instanceof SequenceElement sq) for (DataSet item : sq.items()) inUtf8(item, false);
        }
    }

    /** A private element's tag in the block its creator holds here; a creator not yet present gets a free block. */
    private int inBlock(DataSet ds, int tag, String creator) {
        int group = Tag.group(tag);
        int free = -1;
        for (int block = 0x10; block <= 0xFF; block++) {
            String[] s = ds.getStrings(group << 16 | block);
            if (s.length > 0 && s[0].strip().equals(creator.strip())) return group << 16 | block << 8 | (tag & 0xFF);
            if (s.length == 0 && free < 0) free = block;
        }
        if (free < 0) throw error("no free private block in group " + Integer.toHexString(group) + " for creator " + creator);
        ds.put(new ValueElement(group << 16 | free, VR.LO, Values.padded(utf8(creator), VR.LO)));
        return group << 16 | free << 8 | (tag & 0xFF);
    }

    /** A.1: values and items are numbered from 1; in order here, so that none is missing (a gap would be no item). */
    private int number(String at, int readSoFar) {
        String n = xml.getAttributeValue(null, "number");
        try {
            int i = n == null ? -1 : Integer.parseInt(n);
            if (i >= 1 && i <= readSoFar + 1) return i;
        } catch (NumberFormatException e) {
            // below
        }
        throw error(at + " has <" + xml.getLocalName() + " number=\"" + n + "\"> after " + readSoFar
                + ": numbers count from 1, in order");
    }

    private static <T> void set(List<T> list, int number, T value) {
        if (number > list.size()) list.add(value);
        else list.set(number - 1, value);
    }

    /** A.1.5: up to three groups of five components, joined with '=' and '^' (PS3.5 6.2.1). */
    private String personName() throws XMLStreamException {
        String[] groups = {"", "", ""};
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            int g = List.of(GROUPS).indexOf(xml.getLocalName());
            if (g < 0) throw error("<" + xml.getLocalName() + "> inside a PersonName");
            String[] comps = {"", "", "", "", ""};
            while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
                int c = List.of(COMPONENTS).indexOf(xml.getLocalName());
                if (c < 0) throw error("<" + xml.getLocalName() + "> inside a person name group");
                comps[c] = xml.getElementText();
            }
            groups[g] = String.join("^", comps).replaceAll("\\^+$", "");
        }
        return String.join("=", groups).replaceAll("=+$", "");
    }

    private byte[] encode(VR vr, List<String> values, String at) {
        if (vr.isString()) {
            if (vr.kind() == VR.Kind.TEXT && values.size() > 1) throw error(at + " of VR " + vr + " has a single value");
            String text = String.join("\\", values.stream().map(v -> v == null ? "" : v).toList());
            if (text.chars().anyMatch(c -> c >= 0x80)) nonAscii = true;
            return Values.padded(utf8(text), vr);
        }
        int size = vr == VR.AT ? 4 : vr.bytesPerNumber();
        if (size == 0) {
            if (!values.isEmpty()) throw error(at + " of VR " + vr + " takes InlineBinary or BulkData, not Value");
            return new byte[0];
        }
        ByteBuffer b = ByteBuffer.allocate(values.size() * size).order(ByteOrder.LITTLE_ENDIAN);
        for (String v : values) {
            String s = v == null ? "0" : v.strip();
            switch (vr) {
                case AT -> {
                    int t = (int) Long.parseLong(s, 16);
                    b.putShort((short) (t >>> 16)).putShort((short) t);
                }
                case FL -> b.putFloat((float) real(s));
                case FD -> b.putDouble(real(s));
                case SS, US -> b.putShort((short) Long.parseLong(s));
                case SL, UL -> b.putInt((int) Long.parseLong(s));
                case UV -> b.putLong(Long.parseUnsignedLong(s));
                default -> b.putLong(Long.parseLong(s));
            }
        }
        return b.array();
    }

    private static double real(String s) {
        return switch (s) {
            case "INF", "Infinity" -> Double.POSITIVE_INFINITY;
            case "-INF", "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private NativeXmlException error(String message) {
        return new NativeXmlException("XML" + where() + ": " + message);
    }

    private String where() {
        var loc = xml == null ? null : xml.getLocation();
        return loc == null ? "" : " (line " + loc.getLineNumber() + ", column " + loc.getColumnNumber() + ")";
    }
}
