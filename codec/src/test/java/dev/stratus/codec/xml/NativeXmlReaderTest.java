package dev.stratus.codec.xml;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.VR;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader reads back what {@link NativeXmlWriter} writes, and refuses documents beyond its bounds or PS3.19 A.1. */
class NativeXmlReaderTest {
    private static final Set<String> BROKEN = Set.of("MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm", "DICOMDIR-nooffset");
    /** The Specific Character Set attribute: the reader keeps text in UTF-8, so it says ISO_IR 192 where text is not ASCII. */
    private static final String CHARSET = "<DicomAttribute tag=\"00080005\"[^>]*>.*?</DicomAttribute>";

    private static DataSet read(String xml) {
        return new NativeXmlReader(64, 1_000_000).read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @TestFactory
    List<DynamicTest> everyPydicomFileWrittenAsXmlReadsBackToTheSameXml() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : TestFiles.all()) {
            if (BROKEN.contains(p.getFileName().toString())) continue;
            tests.add(DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
                DicomFile f;
                try {
                    f = DicomReader.read(Files.readAllBytes(p));
                } catch (DicomParseException e) {
                    throw new AssertionError(e);
                }
                String xml = NativeXmlWriter.toXml(f.dataSet());
                String again = NativeXmlWriter.toXml(read(xml));
                String a = xml.replaceAll(CHARSET, ""), b = again.replaceAll(CHARSET, "");
                int at = 0;
                while (at < Math.min(a.length(), b.length()) && a.charAt(at) == b.charAt(at)) at++;
                if (at < Math.max(a.length(), b.length())) {
                    int from = Math.max(0, at - 200);
                    assertEquals(a.substring(from, Math.min(a.length(), at + 200)), b.substring(from, Math.min(b.length(), at + 200)));
                }
            }));
        }
        return tests;
    }

    @Test
    void bulkDataUrisPersonNamesNumbersAndPrivateBlocksAreRead() {
        DataSet ds = read("""
                <?xml version="1.0" encoding="UTF-8"?>
                <NativeDicomModel xmlns="http://dicom.nema.org/PS3.19/models/NativeDICOM" xml:space="preserve">
                  <DicomAttribute tag="00100010" vr="PN" keyword="PatientName"><PersonName number="1">
                    <Alphabetic><FamilyName>Yamada</FamilyName><GivenName>Tarou</GivenName></Alphabetic>
                    <Ideographic><FamilyName>山田</FamilyName><GivenName>太郎</GivenName></Ideographic></PersonName></DicomAttribute>
                  <DicomAttribute tag="00280010" vr="US"><Value number="1">512</Value></DicomAttribute>
                  <DicomAttribute tag="00209113" vr="SQ"><Item number="1">
                    <DicomAttribute tag="00200032" vr="DS"><Value number="1">1.5</Value><Value number="2">-2</Value><Value number="3">0</Value></DicomAttribute>
                  </Item></DicomAttribute>
                  <DicomAttribute tag="00291001" vr="FD" privateCreator="ACME"><Value number="1">2.5</Value></DicomAttribute>
                  <DicomAttribute tag="7FE00010" vr="OW"><BulkData uri="http://example.org/bulk/1"/></DicomAttribute>
                </NativeDicomModel>""");
        assertEquals("Yamada^Tarou=山田^太郎", ds.getString(Tag.PatientName));
        assertEquals("ISO_IR 192", ds.getString(Tag.SpecificCharacterSet));
        assertEquals(512, ds.getInt(Tag.Rows, -1));
        assertEquals("1.5\\-2\\0", String.join("\\", ds.getItems(0x00209113).getFirst().getStrings(0x00200032)));
        assertEquals("ACME", ds.getString(0x00290010));
        assertEquals(VR.FD, ds.get(0x00291001).vr());
        BulkDataElement px = assertInstanceOf(BulkDataElement.class, ds.get(Tag.PixelData));
        assertEquals("http://example.org/bulk/1", px.uri());
    }

    @Test
    void nestingAndSizeBeyondTheBoundsAndDoctypesAreRefusedNamingWhy() {
        String deep = "<NativeDicomModel>" + "<DicomAttribute tag=\"00081115\" vr=\"SQ\"><Item number=\"1\">".repeat(5)
                + "</Item></DicomAttribute>".repeat(5) + "</NativeDicomModel>";
        NativeXmlException e = assertThrows(NativeXmlException.class,
                () -> new NativeXmlReader(4, 1000).read(new ByteArrayInputStream(deep.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("deeper than 4"), e.getMessage());
        String many = "<NativeDicomModel>" + "<DicomAttribute tag=\"00100010\" vr=\"PN\"/>".repeat(11) + "</NativeDicomModel>";
        e = assertThrows(NativeXmlException.class,
                () -> new NativeXmlReader(4, 10).read(new ByteArrayInputStream(many.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("more than 10 attributes"), e.getMessage());
        e = assertThrows(NativeXmlException.class, () -> read("<!DOCTYPE x [<!ENTITY a \"aaaa\">]><NativeDicomModel>&a;</NativeDicomModel>"));
        assertTrue(e.getMessage().startsWith("malformed XML"), e.getMessage());
        e = assertThrows(NativeXmlException.class, () -> read("<NativeDicomModel><DicomAttribute tag=\"0010\" vr=\"PN\"/></NativeDicomModel>"));
        assertTrue(e.getMessage().contains("not 8 hexadecimal digits"), e.getMessage());
        e = assertThrows(NativeXmlException.class, () -> read("<NativeDicomModel><DicomAttribute tag=\"00081115\" vr=\"SQ\">"
                + "<Item number=\"1000000\"/></DicomAttribute></NativeDicomModel>"));
        assertTrue(e.getMessage().contains("numbers count from 1, in order"), e.getMessage());
    }
}
