package dev.stratus.codec.json;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Element;
import dev.stratus.codec.Fragment;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.SequenceElement;
import dev.stratus.codec.SpecificCharacterSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.codec.Values;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Writes data sets in the DICOM JSON Model (PS3.18 F.2): one object, or a stream of them as an array
 * (QIDO-RS results, WADO-RS metadata). Choices where the standard is silent are documented where made:
 * <ul>
 * <li>IS/DS values that are not numbers are written as JSON strings (F.2.3 allows strings for IS/DS), as DCMTK does;
 *     number text is made valid JSON ("+.5" is 0.5, "5." is 5, "007" is 7), where DCMTK copies "5." as is.</li>
 * <li>FL/FD/OF... NaN and infinities have no JSON number: written as the strings "NaN", "Infinity", "-Infinity"
 *     (DCMTK refuses by default, pydicom writes invalid JSON); {@link DicomJsonReader} reads them back.</li>
 * <li>Encapsulated pixel data inline: the base64 of its fragment items as PS3.5 A.4 encodes them, without the
 *     sequence delimiter, as pydicom does (F.2.7 defines InlineBinary as the Value Field; DCMTK refuses).</li>
 * <li>UN of undefined length holding a sequence (PS3.5 6.2.2) is written as SQ, as DCMTK and pydicom do.</li>
 * <li>Group lengths are left out (F.2.2). Specific Character Set is kept as the source has it (F.2.2 note 3:
 *     it describes the source encoding; the JSON text is always UTF-8), where DCMTK rewrites it to ISO_IR 192.</li>
 * <li>PN component groups lose trailing empty components and their delimiters ("Doe^John^^^" is "Doe^John",
 *     PS3.5 6.2.1); a group with no non-empty component is left out, a value with none is null (F.2.2).</li>
 * </ul>
 */
public final class DicomJsonWriter implements AutoCloseable {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** VRs that F.2.2 allows a BulkDataURI for. */
    static final Set<VR> BULK_URI_VRS = EnumSet.of(VR.DS, VR.FL, VR.FD, VR.IS, VR.LT, VR.OB, VR.OD, VR.OF,
            VR.OL, VR.OV, VR.OW, VR.SL, VR.SS, VR.ST, VR.SV, VR.UC, VR.UL, VR.UN, VR.US, VR.UT, VR.UV);

    private final JsonGenerator gen;
    private final JsonWriteOptions options;
    private final List<TagPath.Step> path = new ArrayList<>();

    public DicomJsonWriter(JsonGenerator gen, JsonWriteOptions options) {
        this.gen = gen;
        this.options = options;
    }

    /** A writer over a new UTF-8 generator; {@link #close()} closes the stream. */
    public static DicomJsonWriter of(OutputStream out, JsonWriteOptions options) {
        return new DicomJsonWriter(FACTORY.createGenerator(out), options);
    }

    /** The JSON of one data set, with default options. */
    public static String toJson(DataSet ds) {
        return toJson(ds, JsonWriteOptions.DEFAULT);
    }

    public static String toJson(DataSet ds, JsonWriteOptions options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DicomJsonWriter w = of(out, options)) {
            w.write(ds);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Writes a JSON array of data sets, each written (and flushable) as it comes from the iterable. */
    public void writeArray(Iterable<DataSet> dataSets) {
        gen.writeStartArray();
        for (DataSet ds : dataSets) write(ds);
        gen.writeEndArray();
    }

    /** For callers that produce the array themselves: {@code startArray(); write(..)...; endArray()}. */
    public void startArray() { gen.writeStartArray(); }

    public void endArray() { gen.writeEndArray(); }

    /** Writes one data set as a DICOM JSON object. */
    public void write(DataSet ds) {
        gen.writeStartObject();
        for (Element e : ds) {
            if (Tag.isGroupLength(e.tag())) continue;
            path.add(new TagPath.Step(e.tag(), -1));
            try {
                gen.writeName(Tag.toHex(e.tag()));
                writeElement(e, ds);
            } finally {
                path.removeLast();
            }
        }
        gen.writeEndObject();
    }

    public void flush() { gen.flush(); }

    @Override
    public void close() { gen.close(); }

    private void writeElement(Element e, DataSet ds) {
        gen.writeStartObject();
        switch (e) {
            case SequenceElement sq -> writeSequence(sq);
            case FragmentsElement f -> writeFragments(f);
            case BulkDataElement b -> writeBulk(b, ds);
            case ValueElement v -> writeValue(v, ds, true);
        }
        gen.writeEndObject();
    }

    private void writeVR(VR vr) {
        gen.writeName("vr");
        gen.writeString(vr.name());
    }

    private void writeSequence(SequenceElement sq) {
        writeVR(VR.SQ);
        if (sq.items().isEmpty()) return;
        gen.writeName("Value");
        gen.writeStartArray();
        int i = 0;
        for (DataSet item : sq.items()) {
            path.set(path.size() - 1, new TagPath.Step(sq.tag(), i++));
            write(item);
        }
        path.set(path.size() - 1, new TagPath.Step(sq.tag(), -1));
        gen.writeEndArray();
    }

    private void writeFragments(FragmentsElement f) {
        writeVR(f.vr());
        long length = 0;
        for (Fragment fr : f.fragments()) length += 8L + fr.length();
        if (length > options.bulkDataThreshold() && writeUri(f)) return;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(length, Integer.MAX_VALUE - 16));
        byte[] header = new byte[8];
        for (Fragment fr : f.fragments()) {
            byte[] bytes = fr.isLoaded() ? fr.bytes() : readSource(new BulkDataElement(f.tag(), VR.OB, fr.offset(), fr.length(), false, null));
            header[0] = (byte) 0xFE; header[1] = (byte) 0xFF; header[2] = 0x00; header[3] = (byte) 0xE0;
            for (int k = 0; k < 4; k++) header[4 + k] = (byte) (bytes.length >>> (8 * k));
            out.writeBytes(header);
            out.writeBytes(bytes);
        }
        gen.writeName("InlineBinary");
        gen.writeBinary(out.toByteArray());
    }

    private void writeBulk(BulkDataElement b, DataSet ds) {
        String uri = options.bulkDataUris().uriFor(new TagPath(path), b);
        if (uri == null) uri = b.uri(); // a value read from JSON keeps its URI unless the caller names it anew
        if (uri != null) {
            writeVR(b.vr());
            gen.writeName("BulkDataURI");
            gen.writeString(uri);
            return;
        }
        byte[] bytes = readSource(b);
        if (b.isUndefinedLength()) { // encapsulated pixel data: the source gives its item stream
            writeVR(b.vr());
            gen.writeName("InlineBinary");
            gen.writeBinary(bytes);
            return;
        }
        if (b.bigEndian()) Values.swapInPlace(bytes, b.vr());
        writeValue(new ValueElement(b.tag(), b.vr(), bytes), ds, false);
    }

    private boolean writeUri(Element e) {
        String uri = options.bulkDataUris().uriFor(new TagPath(path), e);
        if (uri == null) return false;
        gen.writeName("BulkDataURI");
        gen.writeString(uri);
        return true;
    }

    private byte[] readSource(BulkDataElement b) {
        try {
            return options.bulkDataSource().read(b);
        } catch (IOException ex) {
            throw new DicomJsonException("cannot write " + describe() + " inline: " + ex.getMessage(), ex);
        }
    }

    private String describe() {
        return "element " + new TagPath(path);
    }

    private void writeValue(ValueElement v, DataSet ds, boolean offerUri) {
        VR vr = v.vr();
        writeVR(vr);
        if (v.length() == 0) return;
        if (offerUri && v.length() > options.bulkDataThreshold() && BULK_URI_VRS.contains(vr) && writeUri(v)) return;
        switch (vr.kind()) {
            case BYTES -> writeInline(v);
            case STRING, TEXT -> writeStrings(v, ds.charset());
            case BINARY_2, BINARY_4, BINARY_8 -> {
                if (vr.isBulk()) writeInline(v);
                else writeNumbers(v, ds.charset());
            }
            case SEQUENCE -> throw new DicomJsonException(describe() + " has VR SQ but holds bytes");
        }
    }

    private void writeInline(ValueElement v) {
        gen.writeName("InlineBinary");
        gen.writeBinary(v.bytes());
    }

    private void writeStrings(ValueElement v, SpecificCharacterSet cs) {
        String[] values = Values.strings(v, cs);
        if (v.vr() == VR.PN) {
            for (int i = 0; i < values.length; i++) if (isEmptyName(values[i])) values[i] = "";
        }
        if (allEmpty(values)) return;
        gen.writeName("Value");
        gen.writeStartArray();
        for (String s : values) {
            if (s.isEmpty()) gen.writeNull(); // F.2.5: an empty value among several is null
            else if (v.vr() == VR.PN) writePersonName(s);
            else if (v.vr() == VR.IS && !options.numbersAsStrings()) writeNumberOrString(JsonNumbers.integer(s), s);
            else if (v.vr() == VR.DS && !options.numbersAsStrings()) writeNumberOrString(JsonNumbers.decimal(s), s);
            else gen.writeString(s);
        }
        gen.writeEndArray();
    }

    private static boolean allEmpty(String[] values) {
        for (String v : values) if (!v.isEmpty()) return false;
        return true;
    }

    /** Not a valid IS/DS: kept as the string it is rather than dropped, so nothing is lost (DCMTK does the same). */
    private void writeNumberOrString(String number, String original) {
        if (number != null) gen.writeNumber(number);
        else gen.writeString(original);
    }

    /** F.2.2: the non-empty component groups, named Alphabetic, Ideographic, Phonetic. */
    private void writePersonName(String s) {
        String[] groups = s.split("=", -1);
        String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
        for (int g = 0; g < Math.min(3, groups.length); g++) groups[g] = stripTrailingEmptyComponents(groups[g]);
        gen.writeStartObject();
        for (int g = 0; g < Math.min(3, groups.length); g++) {
            if (groups[g].isEmpty()) continue;
            gen.writeName(names[g]);
            gen.writeString(groups[g]);
        }
        gen.writeEndObject();
    }

    private static boolean isEmptyName(String s) {
        for (int i = 0; i < s.length(); i++) if ("^= ".indexOf(s.charAt(i)) < 0) return false;
        return true;
    }

    /** PS3.5 6.2.1: trailing empty components and their delimiters may be omitted; spaces are padding. */
    static String stripTrailingEmptyComponents(String group) {
        int end = group.length();
        while (end > 0 && (group.charAt(end - 1) == '^' || group.charAt(end - 1) == ' ')) end--;
        return group.substring(0, end);
    }

    private void writeNumbers(ValueElement v, SpecificCharacterSet cs) {
        VR vr = v.vr();
        if (v.length() < vr.bytesPerNumber()) return; // too short for one value: nothing to write
        gen.writeName("Value");
        gen.writeStartArray();
        switch (vr) {
            case FL -> { for (double d : Values.doubles(v)) writeFloat((float) d); }
            case FD -> { for (double d : Values.doubles(v)) writeDouble(d); }
            case AT -> { for (long t : Values.longs(v, cs)) gen.writeString(Tag.toHex((int) t)); }
            case UV -> { for (long x : Values.longs(v, cs)) gen.writeNumber(Long.toUnsignedString(x)); }
            default -> { for (long x : Values.longs(v, cs)) gen.writeNumber(x); }
        }
        gen.writeEndArray();
    }

    /** JSON has no NaN or infinity (RFC 8259 6): those are written as strings, see the class comment. */
    private void writeFloat(float f) {
        if (Float.isFinite(f)) gen.writeNumber(f); // shortest text that reads back as the same float
        else gen.writeString(nonFinite(f));
    }

    private void writeDouble(double d) {
        if (Double.isFinite(d)) gen.writeNumber(d);
        else gen.writeString(nonFinite(d));
    }

    static String nonFinite(double d) {
        return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }
}
