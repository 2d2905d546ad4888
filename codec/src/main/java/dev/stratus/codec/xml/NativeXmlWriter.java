package dev.stratus.codec.xml;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.BulkDataSource;
import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Element;
import dev.stratus.codec.Fragment;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.SequenceElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.codec.Values;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes a data set in the Native DICOM Model of PS3.19 A.1 (the XML of WADO-RS metadata "application/dicom+xml").
 * Choices where PS3.19 is silent or open, documented where made:
 * <ul>
 * <li>A private data element's tag is written "gggg00ee" with its creator in privateCreator, as DCMTK's dcm2xml does;
 *     one whose creator is missing keeps its full tag.</li>
 * <li>NaN and infinities of FL/FD are written "NaN", "INF", "-INF" (the xs:double spellings).</li>
 * <li>Characters XML 1.0 cannot hold (most C0 controls) become U+FFFD; the document must stay well-formed.</li>
 * <li>Encapsulated pixel data inline is the base64 of its fragment items, as {@code DicomJsonWriter} writes it.</li>
 * </ul>
 */
public final class NativeXmlWriter {
    public static final String NAMESPACE = "http://dicom.nema.org/PS3.19/models/NativeDICOM";
    private static final String[] GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};
    private static final String[] COMPONENTS = {"FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"};

    /** Names a value by URI instead of writing it; path as "00081115/0/7FE00010"; null means inline. */
    @FunctionalInterface
    public interface BulkDataUris {
        String uriFor(String path, Element element);
    }

    /**
     * @param bulkDataThreshold binary values (OB, OD, OF, OL, OV, OW, UN, encapsulated) longer than this are offered to uris
     * @param uris              gives a BulkData uri, or null for InlineBinary; always asked for values left in their source
     * @param source            reads values left in their source when they must be written inline
     */
    public record Options(long bulkDataThreshold, BulkDataUris uris, BulkDataSource source) {
        public static final Options DEFAULT = new Options(Long.MAX_VALUE, null, null);

        public Options {
            if (uris == null) uris = (p, e) -> null;
            if (source == null) source = BulkDataSource.NONE;
        }
    }

    private final XMLStreamWriter xml;
    private final Options options;
    private final List<String> path = new ArrayList<>();

    private NativeXmlWriter(XMLStreamWriter xml, Options options) {
        this.xml = xml;
        this.options = options;
    }

    public static String toXml(DataSet ds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, ds, Options.DEFAULT);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Writes a whole document, UTF-8, to out (which is flushed, not closed). */
    public static void write(OutputStream out, DataSet ds, Options options) {
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("NativeDicomModel");
            xml.writeDefaultNamespace(NAMESPACE);
            xml.writeAttribute("xml", "http://www.w3.org/XML/1998/namespace", "space", "preserve"); // A.1.5 requires it
            new NativeXmlWriter(xml, options).dataSet(ds);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.flush();
            xml.close();
        } catch (XMLStreamException e) {
            throw new UncheckedIOException(new IOException("cannot write XML: " + e.getMessage(), e));
        }
    }

    private void dataSet(DataSet ds) throws XMLStreamException {
        for (Element e : ds) {
            if (Tag.isGroupLength(e.tag())) continue; // A.1: group lengths are not included
            path.add(Tag.toHex(e.tag()));
            attribute(e, ds);
            path.removeLast();
        }
    }

    private void attribute(Element e, DataSet ds) throws XMLStreamException {
        int tag = e.tag();
        String creator = privateCreator(tag, ds);
        xml.writeStartElement("DicomAttribute");
        xml.writeAttribute("tag", Tag.toHex(creator == null ? tag : tag & 0xFFFF00FF));
        xml.writeAttribute("vr", e.vr() == VR.UN && e instanceof SequenceElement ? "SQ" : e.vr().name());
        String keyword = Tag.isPrivate(tag) ? "" : DataDictionary.keywordOf(tag);
        if (!keyword.isEmpty()) xml.writeAttribute("keyword", keyword);
        if (creator != null) xml.writeAttribute("privateCreator", clean(creator));
        switch (e) {
            case SequenceElement sq -> items(sq);
            case FragmentsElement f -> fragments(f);
            case BulkDataElement b -> bulk(b, ds);
            case ValueElement v -> value(v, ds);
        }
        xml.writeEndElement();
    }

    /** The creator of a private data element (gggg,xxee), from (gggg,00xx) in the same data set; null if none. */
    private static String privateCreator(int tag, DataSet ds) {
        int creatorTag = Tag.privateCreatorOf(tag);
        if (creatorTag == -1 || Tag.isPrivateCreator(tag)) return null;
        String[] s = ds.getStrings(creatorTag);
        return s.length == 0 || s[0].isEmpty() ? null : s[0];
    }

    private void items(SequenceElement sq) throws XMLStreamException {
        int n = 0;
        for (DataSet item : sq.items()) {
            xml.writeStartElement("Item");
            xml.writeAttribute("number", Integer.toString(++n));
            path.add(Integer.toString(n - 1));
            dataSet(item);
            path.removeLast();
            xml.writeEndElement();
        }
    }

    private void fragments(FragmentsElement f) throws XMLStreamException {
        long length = 0;
        for (Fragment fr : f.fragments()) length += 8L + fr.length();
        if (length > options.bulkDataThreshold() && uri(f)) return;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Fragment fr : f.fragments()) {
            byte[] bytes = fr.isLoaded() ? fr.bytes() : read(new BulkDataElement(f.tag(), VR.OB, fr.offset(), fr.length(), false, null));
            out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0,
                    (byte) bytes.length, (byte) (bytes.length >>> 8), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 24)});
            out.writeBytes(bytes);
        }
        inline(out.toByteArray());
    }

    private void bulk(BulkDataElement b, DataSet ds) throws XMLStreamException {
        String uri = options.uris().uriFor(String.join("/", path), b);
        if (uri == null) uri = b.uri();
        if (uri != null) {
            writeBulkData(uri);
            return;
        }
        byte[] bytes = read(b);
        if (b.isUndefinedLength()) {
            inline(bytes);
            return;
        }
        if (b.bigEndian()) Values.swapInPlace(bytes, b.vr());
        value(new ValueElement(b.tag(), b.vr(), bytes), ds);
    }

    private boolean uri(Element e) throws XMLStreamException {
        String uri = options.uris().uriFor(String.join("/", path), e);
        if (uri == null) return false;
        writeBulkData(uri);
        return true;
    }

    private void writeBulkData(String uri) throws XMLStreamException {
        xml.writeEmptyElement("BulkData");
        xml.writeAttribute("uri", clean(uri));
    }

    private byte[] read(BulkDataElement b) {
        try {
            return options.source().read(b);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + String.join("/", path) + " inline: " + ex.getMessage(), ex);
        }
    }

    private void inline(byte[] bytes) throws XMLStreamException {
        xml.writeStartElement("InlineBinary");
        xml.writeCharacters(Base64.getEncoder().encodeToString(bytes));
        xml.writeEndElement();
    }

    private void value(ValueElement v, DataSet ds) throws XMLStreamException {
        if (v.length() == 0) return;
        VR vr = v.vr();
        if (vr.isBulk()) {
            if (v.length() > options.bulkDataThreshold() && uri(v)) return;
            inline(v.bytes());
            return;
        }
        List<String> values = new ArrayList<>();
        if (vr.isString()) {
            for (String s : Values.strings(v, ds.charset())) values.add(s);
        } else {
            switch (vr) {
                case FL, FD -> { for (double d : Values.doubles(v)) values.add(real(d, vr == VR.FL)); }
                case AT -> { for (long t : Values.longs(v, ds.charset())) values.add(Tag.toHex((int) t)); }
                case UV -> { for (long x : Values.longs(v, ds.charset())) values.add(Long.toUnsignedString(x)); }
                default -> { for (long x : Values.longs(v, ds.charset())) values.add(Long.toString(x)); }
            }
        }
        if (values.stream().allMatch(s -> vr == VR.PN ? PersonNames.isEmpty(s) : s.isEmpty())) return;
        for (int i = 0; i < values.size(); i++) {
            if (vr == VR.PN) personName(values.get(i), i + 1);
            else text("Value", i + 1, values.get(i));
        }
    }

    private static String real(double d, boolean single) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "INF" : "-INF";
        return single ? Float.toString((float) d) : Double.toString(d);
    }

    private void text(String element, int number, String s) throws XMLStreamException {
        xml.writeStartElement(element);
        xml.writeAttribute("number", Integer.toString(number));
        if (!s.isEmpty()) characters(clean(s));
        xml.writeEndElement();
    }

    /** A.1.5: PersonName with up to three groups, each with the non-empty components of the five. */
    private void personName(String s, int number) throws XMLStreamException {
        xml.writeStartElement("PersonName");
        xml.writeAttribute("number", Integer.toString(number));
        String[] groups = s.split("=", -1);
        for (int g = 0; g < Math.min(3, groups.length); g++) {
            String[] comps = groups[g].split("\\^", -1);
            if (PersonNames.isEmpty(groups[g])) continue;
            xml.writeStartElement(GROUPS[g]);
            for (int c = 0; c < Math.min(5, comps.length); c++) {
                String comp = comps[c].strip();
                if (comp.isEmpty()) continue;
                xml.writeStartElement(COMPONENTS[c]);
                characters(clean(comp));
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    /** Text with each CR as a character reference: a parser turns a literal CR (and CR LF) into LF (XML 1.0 2.11). */
    private void characters(String s) throws XMLStreamException {
        int from = 0;
        for (int cr = s.indexOf('\r'); cr >= 0; cr = s.indexOf('\r', from)) {
            xml.writeCharacters(s.substring(from, cr));
            xml.writeEntityRef("#13");
            from = cr + 1;
        }
        xml.writeCharacters(s.substring(from));
    }

    /** Characters that XML 1.0 does not allow (C0 controls but tab, LF, CR; U+FFFE, U+FFFF; lone surrogates) become U+FFFD. */
    static String clean(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 0x20 && c < 0xD800 || c == '\t' || c == '\n' || c == '\r' || c >= 0xE000 && c <= 0xFFFD;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb != null) sb.append(c).append(s.charAt(i + 1));
                i++;
                continue;
            }
            if (!ok && sb == null) sb = new StringBuilder(s.substring(0, i));
            if (sb != null) sb.append(ok ? c : '\uFFFD');
        }
        return sb == null ? s : sb.toString();
    }
}
