package dev.stratus.codec.json;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.codec.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DicomJsonReaderTest {
    private final DicomJsonReader reader = new DicomJsonReader();

    /** JSON written with single quotes for readability. */
    private DataSet read(String json) {
        return reader.read(json.replace('\'', '"'));
    }

    private static String bytes(DataSet ds, int tag) {
        return new String(((ValueElement) ds.get(tag)).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void isAndDsAreAcceptedAsNumbersOrStrings() {
        DataSet ds = read("{'00181050':{'vr':'DS','Value':[1.50,'2.5',-0.5,null,1e3]},'00200013':{'vr':'IS','Value':[7,'+8',1e1]}}");
        assertEquals("1.50\\2.5\\-0.5\\\\1e3", bytes(ds, 0x00181050), "number text kept");
        assertEquals("7\\+8\\10 ", bytes(ds, 0x00200013));
        assertEquals("0.12345678901235", read("{'00181050':{'vr':'DS','Value':[0.123456789012345678]}}").getString(0x00181050),
                "a number longer than DS allows is rounded to 16 characters");
        assertEquals("0.3", read("{'00181050':{'vr':'DS','Value':[0.30000000000000004]}}").getString(0x00181050));
        assertEquals("1.2345678901E-89", read("{'00181050':{'vr':'DS','Value':[1.23456789012345E-89]}}").getString(0x00181050));
        assertEquals("-.12345678901234", read("{'00181050':{'vr':'DS','Value':[-0.12345678901234]}}").getString(0x00181050),
                "one character too long: the leading zero goes, nothing is rounded");
    }

    @Test
    void personNamesAtAndBinaryNumbers() {
        DataSet ds = read("{'00100010':{'vr':'PN','Value':[{'Alphabetic':'Doe^John','Phonetic':'doe'},null,{'Ideographic':'X'}]},"
                + "'00209165':{'vr':'AT','Value':['00100010','7fe00010']},"
                + "'00280010':{'vr':'US','Value':[512]},'00189087':{'vr':'FD','Value':[1.5,'NaN','-Infinity']},"
                + "'00189088':{'vr':'FL','Value':[1.9]},'00660040':{'vr':'UV','Value':[18446744073709551615,'1']}}");
        assertEquals("Doe^John==doe\\\\=X", ds.getStrings(0x00100010)[0] + "\\" + ds.getStrings(0x00100010)[1] + "\\" + ds.getStrings(0x00100010)[2]);
        assertArrayEquals(Values.encodeInts(VR.AT, 0x00100010, 0x7FE00010), ds.getBytes(0x00209165));
        assertEquals(512, ds.getInt(0x00280010, 0));
        double[] fd = Values.doubles((ValueElement) ds.get(0x00189087));
        assertEquals(1.5, fd[0]);
        assertTrue(Double.isNaN(fd[1]));
        assertEquals(Double.NEGATIVE_INFINITY, fd[2]);
        assertEquals(1.9f, (float) Values.doubles((ValueElement) ds.get(0x00189088))[0]);
        long[] uv = Values.longs((ValueElement) ds.get(0x00660040), ds.charset());
        assertEquals(-1L, uv[0]);
        assertEquals(1L, uv[1]);
    }

    @Test
    void stringsAreUtf8AndTheCharacterSetSaysSoOnlyWhenNeeded() {
        DataSet ascii = read("{'00080005':{'vr':'CS','Value':['ISO_IR 100']},'00100010':{'vr':'PN','Value':[{'Alphabetic':'Doe^John'}]}}");
        assertEquals("ISO_IR 100", ascii.getString(Tag.SpecificCharacterSet), "ASCII text: the declared set is kept");
        DataSet utf = read("{'00080005':{'vr':'CS','Value':['ISO_IR 100']},'00081115':{'vr':'SQ','Value':[{"
                + "'00080005':{'vr':'CS','Value':['ISO 2022 IR 87']},'00100010':{'vr':'PN','Value':[{'Ideographic':'山田^太郎'}]}}]}}");
        assertEquals("ISO_IR 192", utf.getString(Tag.SpecificCharacterSet));
        DataSet item = utf.getItems(0x00081115).getFirst();
        assertEquals("ISO_IR 192", item.getString(Tag.SpecificCharacterSet), "an item that declares its own set is corrected too");
        assertEquals("=山田^太郎", item.getString(0x00100010));
        assertArrayEquals("=山田^太郎".getBytes(StandardCharsets.UTF_8), item.getBytes(0x00100010));
        DataSet none = read("{'00100010':{'vr':'PN','Value':[{'Alphabetic':'Müller'}]}}");
        assertEquals("ISO_IR 192", none.getString(Tag.SpecificCharacterSet), "added where none was declared");
    }

    @Test
    void emptyValuesSequencesBulkDataAndMemberOrder() {
        DataSet ds = read("{'00100000':{'vr':'UL','Value':[42]},'00100020':{'vr':'LO'},'00081110':{'vr':'SQ'},'00081111':{'Value':[{}],'vr':'SQ'},"
                + "'7FE00010':{'vr':'OW','BulkDataURI':'https://a/b/7FE00010'},'00420011':{'vr':'OB','InlineBinary':'AQID\\nBA=='}}");
        assertEquals(0, ((ValueElement) ds.get(0x00100020)).length());
        assertEquals(List.of(), ds.getItems(0x00081110));
        assertEquals(1, ds.getItems(0x00081111).size());
        assertEquals(new BulkDataElement(Tag.PixelData, VR.OW, -1, -1, false, "https://a/b/7FE00010"), ds.get(Tag.PixelData));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, ds.getBytes(0x00420011), "base64 may be wrapped");
        assertNull(ds.getString(Tag.SpecificCharacterSet));
        assertNull(ds.get(0x00100000), "group length dropped (F.2.2 excludes them; pydicom writes them)");
    }

    @Test
    void inlineBinaryRoundTripsByteForByteForEveryBinaryVR() {
        DataSet ds = new DataSet();
        byte[] odd = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        VR[] vrs = {VR.OB, VR.OW, VR.OF, VR.OD, VR.OL, VR.OV, VR.UN};
        for (int i = 0; i < vrs.length; i++) ds.put(new ValueElement(0x00091010 + i, vrs[i], i == 6 ? odd : java.util.Arrays.copyOf(odd, 8)));
        ds.setString(0x00090010, VR.LO, "ACME");
        DataSet back = reader.read(DicomJsonWriter.toJson(ds));
        assertEquals(ds, back, "same tags, VRs and bytes, private creator included");
    }

    @Test
    void anArrayIsReadOneDataSetAtATime() {
        List<DataSet> all = reader.readArray("[{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"A\"]}},{}]");
        assertEquals(2, all.size());
        assertEquals("A", all.getFirst().getString(0x00100020));
        DicomJsonException e = assertThrows(DicomJsonException.class, () -> reader.readArray("[{},{\"0010\":{}}]"));
        assertTrue(e.getMessage().startsWith("data set 1 of the array: "), e.getMessage());
    }

    /** Each malformed input names the element (or the member) and says what is wrong. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {'00100010':{'vr':'PN','Value':['Doe^John']}}                 | (0010,0010) PatientName: PN value 0 must be an object
            {'00100010':{'Value':[]}}                                     | (0010,0010) PatientName: has no "vr"
            {'00100010':{'vr':'XX'}}                                      | (0010,0010) PatientName: "XX" is not a VR
            {'00100010':{'vr':'PN','Value':[{'Alphabetic':'A','Nick':'B'}]}} | PN value 0 has unknown member "Nick"
            {'0010001':{'vr':'PN'}}                                       | "0010001" is not a tag
            {'００10001A':{'vr':'PN'}}                                      | "００10001A" is not a tag
            {'00200013':{'vr':'IS','Value':[1.5]}}                        | (0020,0013) InstanceNumber: IS value 0 (1.5) is not an integer
            {'00200013':{'vr':'IS','Value':[3000000000]}}                 | IS value 0 (3000000000) is outside
            {'00280010':{'vr':'US','Value':[70000]}}                      | (0028,0010) Rows: US value 0 (70000) is outside 0..65535
            {'00280010':{'vr':'US','Value':['512']}}                      | US value 0 must be a number, found the string "512"
            {'00280010':{'vr':'US','Value':[null]}}                       | value 0 is null
            {'00280010':{'vr':'US','InlineBinary':'AAA='}}                | VR US cannot have InlineBinary
            {'00280010':{'vr':'US','Value':5}}                            | "Value" must be an array, found the number 5
            {'00420011':{'vr':'OB','Value':[1]}}                          | VR OB takes InlineBinary or BulkDataURI, not Value
            {'00420011':{'vr':'OB','InlineBinary':'***'}}                 | "InlineBinary" is not base64
            {'00420011':{'vr':'OB','InlineBinary':'AA==','BulkDataURI':'x'}} | has more than one of Value, InlineBinary and BulkDataURI
            {'00100020':{'vr':'LO','Value':['a\\\\b']}}                   | value 0 contains a backslash
            {'00100020':{'vr':'LO','Value':[5]}}                          | (0010,0020) PatientID: value 0 must be a string, found the number 5
            {'00100020':{'vr':'LO','value':['x']}}                        | unknown member "value"
            {'00100020':{'vr':'LT','Value':['a','b']}}                    | VR LT has a single value, found 2
            {'00209165':{'vr':'AT','Value':['0010']}}                     | AT value 0 must be a tag as 8 hexadecimal digits
            {'00081115':{'vr':'SQ','Value':[{'00100010':{'vr':'PN','Value':[1]}}]}} | element 00081115/0/00100010 (0010,0010) PatientName: PN value 0
            {'00081115':{'vr':'SQ','Value':[null]}}                       | (0008,1115) ReferencedSeriesSequence: item 0 must be a JSON object, found null
            {'00100020':{'vr':'LO'},'00100020':{'vr':'LO'}}               | member "00100020" appears twice
            {'00100020':{'vr':'LO'},'0010002a':{'vr':'LO'},'0010002A':{'vr':'LO'}} | tag 0010002A appears twice
            {'00100020':{'vr':'LO'}                                       | malformed JSON
            {'00100020':{'vr':'LO'}} x                                    | malformed JSON
            [{'00100020':{'vr':'LO'}}]                                    | expected a JSON object
            """)
    void malformedInputIsRejectedWithTheTagAndTheProblem(String json, String expected) {
        DicomJsonException e = assertThrows(DicomJsonException.class, () -> read(json.strip()));
        assertTrue(e.getMessage().contains(expected.strip()), e.getMessage());
    }
}
