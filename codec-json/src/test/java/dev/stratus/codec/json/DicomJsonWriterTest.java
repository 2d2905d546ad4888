package dev.stratus.codec.json;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.BulkDataSource;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Fragment;
import dev.stratus.codec.FragmentsElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.codec.Values;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer's output, compared as text: compact JSON, members in the order the writer emits them. */
class DicomJsonWriterTest {
    private static DataSet with(int tag, VR vr, String... values) {
        DataSet ds = new DataSet();
        ds.setString(tag, vr, values);
        return ds;
    }

    private static String json(DataSet ds) {
        return DicomJsonWriter.toJson(ds);
    }

    private static ValueElement raw(int tag, VR vr, String latin1) {
        return new ValueElement(tag, vr, latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void personNamesAreObjectsWithTheNonEmptyGroups() {
        DataSet ds = new DataSet();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(0x00100010, VR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう", "=X", "^^^^", "Doe^John^^^", "Doe^^Q=^^=Y");
        assertEquals("{\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 192\"]},\"00100010\":{\"vr\":\"PN\",\"Value\":["
                + "{\"Alphabetic\":\"Yamada^Tarou\",\"Ideographic\":\"山田^太郎\",\"Phonetic\":\"やまだ^たろう\"},"
                + "{\"Ideographic\":\"X\"},null,{\"Alphabetic\":\"Doe^John\"},{\"Alphabetic\":\"Doe^^Q\",\"Phonetic\":\"Y\"}]}}", json(ds));
        assertEquals("{\"00100010\":{\"vr\":\"PN\"}}", json(with(0x00100010, VR.PN, "^^^^")), "no component at all: empty");
    }

    @Test
    void isAndDsAreNumbersWhenTheyAreNumbersAndStringsOtherwise() {
        DataSet ds = new DataSet();
        ds.put(raw(0x00181050, VR.DS, " +1.50 \\-.5\\5.\\007\\1e3 \\\\abc "));
        ds.put(raw(0x00200013, VR.IS, "+007\\ 12\\1.5\\x "));
        assertEquals("{\"00181050\":{\"vr\":\"DS\",\"Value\":[1.50,-0.5,5,7,1e3,null,\"abc\"]},"
                + "\"00200013\":{\"vr\":\"IS\",\"Value\":[7,12,\"1.5\",\"x\"]}}", json(ds));
        assertEquals("{\"00181050\":{\"vr\":\"DS\",\"Value\":[\"+1.50\",\"-.5\",\"5.\",\"007\",\"1e3\",null,\"abc\"]},"
                        + "\"00200013\":{\"vr\":\"IS\",\"Value\":[\"+007\",\"12\",\"1.5\",\"x\"]}}",
                DicomJsonWriter.toJson(ds, JsonWriteOptions.DEFAULT.withNumbersAsStrings(true)), "the per-tenant option");
    }

    @Test
    void attributeTagsAreEightHexDigits() {
        DataSet ds = new DataSet();
        ds.put(new ValueElement(0x00209165, VR.AT, Values.encodeInts(VR.AT, 0x00100010, 0x7FE00010, 0x0029100A)));
        assertEquals("{\"00209165\":{\"vr\":\"AT\",\"Value\":[\"00100010\",\"7FE00010\",\"0029100A\"]}}", json(ds));
    }

    @Test
    void binaryNumbersIncludingTheOnesJsonCannotHold() {
        DataSet ds = new DataSet();
        ds.setInt(0x00280010, VR.US, 512, 65535);
        ds.setInt(0x00189219, VR.SS, -3);
        ds.setInt(0x00720078, VR.UL, -1);
        ds.setInt(0x00186020, VR.SL, Integer.MIN_VALUE);
        ds.put(new ValueElement(0x00189087, VR.FD, le8(Double.doubleToLongBits(Double.NaN), Double.doubleToLongBits(1e-300))));
        ds.put(new ValueElement(0x00189088, VR.FL, le4(Float.floatToIntBits(1.9f), Float.floatToIntBits(Float.NEGATIVE_INFINITY))));
        ds.put(new ValueElement(0x00660040, VR.UV, le8(-1L)));
        ds.put(new ValueElement(0x00660041, VR.SV, le8(Long.MIN_VALUE)));
        assertEquals("{\"00186020\":{\"vr\":\"SL\",\"Value\":[-2147483648]},"
                + "\"00189087\":{\"vr\":\"FD\",\"Value\":[\"NaN\",1.0E-300]},"
                + "\"00189088\":{\"vr\":\"FL\",\"Value\":[1.9,\"-Infinity\"]},"
                + "\"00189219\":{\"vr\":\"SS\",\"Value\":[-3]},"
                + "\"00280010\":{\"vr\":\"US\",\"Value\":[512,65535]},"
                + "\"00660040\":{\"vr\":\"UV\",\"Value\":[18446744073709551615]},"
                + "\"00660041\":{\"vr\":\"SV\",\"Value\":[-9223372036854775808]},"
                + "\"00720078\":{\"vr\":\"UL\",\"Value\":[4294967295]}}", json(ds));
    }

    @Test
    void emptyValuesHaveNoValueMemberAndEmptyValuesAmongOthersAreNull() {
        DataSet ds = new DataSet();
        ds.put(new ValueElement(0x00100020, VR.LO, new byte[0]));
        ds.put(raw(0x00080060, VR.CS, "  "));
        ds.put(raw(0x00080008, VR.CS, "A\\\\B\\ "));
        ds.put(new ValueElement(0x00280010, VR.US, new byte[0]));
        ds.setSequence(0x00081110, List.of());
        ds.setSequence(0x00081111, List.of(new DataSet()));
        assertEquals("{\"00080008\":{\"vr\":\"CS\",\"Value\":[\"A\",null,\"B\",null]},\"00080060\":{\"vr\":\"CS\"},"
                + "\"00081110\":{\"vr\":\"SQ\"},\"00081111\":{\"vr\":\"SQ\",\"Value\":[{}]},"
                + "\"00100020\":{\"vr\":\"LO\"},\"00280010\":{\"vr\":\"US\"}}", json(ds));
    }

    @Test
    void sequencesNestAndItemsInheritTheCharacterSet() {
        DataSet ds = new DataSet();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        DataSet item = new DataSet();
        item.put(new ValueElement(0x00100010, VR.PN, "Müller^Jürgen".getBytes(StandardCharsets.ISO_8859_1)));
        DataSet inner = new DataSet();
        inner.setString(0x00080100, VR.SH, "121320");
        item.setSequence(0x0040A170, List.of(inner));
        ds.setSequence(0x00081115, List.of(item, new DataSet()));
        assertEquals("{\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 100\"]},\"00081115\":{\"vr\":\"SQ\",\"Value\":["
                + "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Müller^Jürgen\"}]},"
                + "\"0040A170\":{\"vr\":\"SQ\",\"Value\":[{\"00080100\":{\"vr\":\"SH\",\"Value\":[\"121320\"]}}]}},{}]}}", json(ds));
    }

    @Test
    void privateTagsAndCreatorsAreKeptAndTagsAscendUnsigned() {
        DataSet ds = new DataSet();
        ds.setString(0x00291010, VR.LO, "private");
        ds.setString(0x00290010, VR.LO, "ACME 1.0");
        ds.put(new ValueElement(0xFFFCFFFC, VR.OB, new byte[2]));
        ds.put(new ValueElement(0x7FE00010, VR.OB, new byte[2]));
        ds.put(new ValueElement(0x00080000, VR.UL, new byte[4]));
        assertEquals("{\"00290010\":{\"vr\":\"LO\",\"Value\":[\"ACME 1.0\"]},\"00291010\":{\"vr\":\"LO\",\"Value\":[\"private\"]},"
                + "\"7FE00010\":{\"vr\":\"OB\",\"InlineBinary\":\"AAA=\"},\"FFFCFFFC\":{\"vr\":\"OB\",\"InlineBinary\":\"AAA=\"}}", json(ds),
                "group length left out (F.2.2)");
    }

    @Test
    void bulkDataOverTheThresholdGetsTheUriTheCallerGivesForItsPath() {
        DataSet ds = new DataSet();
        DataSet item = new DataSet();
        item.put(new ValueElement(0x00281201, VR.OW, new byte[100]));
        item.put(new ValueElement(0x00281202, VR.OW, new byte[10]));
        ds.setSequence(0x00081115, List.of(new DataSet(), item));
        ds.put(new BulkDataElement(Tag.PixelData, VR.OW, 1234, 8, false, null));
        List<String> asked = new ArrayList<>();
        JsonWriteOptions o = JsonWriteOptions.DEFAULT.withBulkData(50, (path, e) -> {
            asked.add(path.toString());
            return path.tag() == Tag.PixelData ? "https://a/bulk/pixels" : "https://a/bulk/" + path;
        });
        assertEquals("{\"00081115\":{\"vr\":\"SQ\",\"Value\":[{},{\"00281201\":{\"vr\":\"OW\",\"BulkDataURI\":\"https://a/bulk/00081115/1/00281201\"},"
                + "\"00281202\":{\"vr\":\"OW\",\"InlineBinary\":\"AAAAAAAAAAAAAA==\"}}]},"
                + "\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"https://a/bulk/pixels\"}}", DicomJsonWriter.toJson(ds, o));
        assertEquals(List.of("00081115/1/00281201", "7FE00010"), asked);
        assertEquals(TagPath.of(0x00081115, 1, 0x00281201).toString(), asked.getFirst());
    }

    @Test
    void valuesLeftInTheSourceAreReadFromItForInlineBinary() {
        DataSet ds = new DataSet();
        ds.put(new BulkDataElement(Tag.PixelData, VR.OW, 2, 4, true, null));
        byte[] file = {9, 9, 0x01, 0x02, 0x03, 0x04};
        String json = DicomJsonWriter.toJson(ds, JsonWriteOptions.DEFAULT.withBulkDataSource(BulkDataSource.of(file)));
        assertEquals("{\"7FE00010\":{\"vr\":\"OW\",\"InlineBinary\":\"AgEEAw==\"}}", json, "big endian source swapped to little endian");
        DicomJsonException e = assertThrows(DicomJsonException.class, () -> DicomJsonWriter.toJson(ds));
        assertTrue(e.getMessage().contains("7FE00010"), e.getMessage());
        ds.put(new BulkDataElement(Tag.PixelData, VR.OW, -1, -1, false, "https://a/b"));
        assertEquals("{\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"https://a/b\"}}", json(ds), "a uri read from JSON is kept");
    }

    @Test
    void encapsulatedPixelDataInlineIsItsItemStreamAndReadsBackAsFragments() {
        DataSet ds = new DataSet();
        ds.put(new FragmentsElement(Tag.PixelData, VR.OB, List.of(new Fragment(-1, 0, new byte[0]),
                new Fragment(-1, 4, new byte[] {1, 2, 3, 4}), new Fragment(-1, 2, new byte[] {5, 6}))));
        String json = json(ds);
        byte[] items = java.util.Base64.getDecoder().decode(json.replaceAll(".*\"InlineBinary\":\"([^\"]+)\".*", "$1"));
        assertEquals(8 + 12 + 10, items.length);
        assertEquals("feff00e000000000feff00e004000000", java.util.HexFormat.of().formatHex(items, 0, 16));
        DataSet back = new DicomJsonReader(dev.stratus.codec.TransferSyntax.of("1.2.840.10008.1.2.4.50")).read(json);
        FragmentsElement f = (FragmentsElement) back.get(Tag.PixelData);
        assertEquals(((FragmentsElement) ds.get(Tag.PixelData)).fragments(), f.fragments());
        DataSet plain = new DicomJsonReader().read(json);
        assertEquals(VR.OB, plain.get(Tag.PixelData).vr(), "without the media type's transfer syntax: opaque bytes");
    }

    @Test
    void anArrayIsWrittenAsTheDataSetsCome() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DicomJsonWriter w = DicomJsonWriter.of(out, JsonWriteOptions.DEFAULT)) {
            w.writeArray(List.of(with(0x00100020, VR.LO, "A"), with(0x00100020, VR.LO, "B")));
        }
        assertEquals("[{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"A\"]}},{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"B\"]}}]",
                out.toString(StandardCharsets.UTF_8));
    }

    static byte[] le8(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    static byte[] le4(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }
}
