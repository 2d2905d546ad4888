package dev.stratus.codec.xml;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Element;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.codec.Values;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The XML is parsed back with the JDK's DOM parser (namespace aware) and read with XPath. */
class NativeXmlWriterTest {
    private static final Set<String> BROKEN = Set.of("MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm", "DICOMDIR-nooffset");

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    /** XPath over the document with the model's namespace ignored (local-name() is verbose; the prefix-free form is clearer). */
    private static String x(Document d, String expr) throws Exception {
        return (String) XPathFactory.newInstance().newXPath().evaluate(expr.replaceAll("(?<=/|^)([A-Z][A-Za-z]*)", "*[local-name()='$1']"), d, XPathConstants.STRING);
    }

    private static DataSet sample() {
        DataSet ds = new DataSet();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(0x00080008, VR.CS, "ORIGINAL", "", "AXIAL");
        ds.setString(0x00100010, VR.PN, "Yamada^Tarou^^Dr^Jr=山田^太郎=やまだ^たろう", "^^^^", "Doe^Jane");
        ds.setString(0x00181050, VR.DS, " 1.50", "-.5");
        ds.setString(0x00200013, VR.IS, "+007");
        ds.put(new ValueElement(0x00209165, VR.AT, Values.encodeInts(VR.AT, 0x00100010, 0x7FE00010)));
        ds.put(new ValueElement(0x00189087, VR.FD, new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xF8, 0x7F}));
        ds.setInt(0x00280010, VR.US, 512);
        ds.setString(0x00291010, VR.LO, "PRIVATE VALUE");
        ds.setString(0x00290010, VR.LO, "ACME 1.0");
        ds.setString(0x00081030, VR.LO, "bell\u0007here");
        DataSet item1 = new DataSet(), item2 = new DataSet();
        item1.setString(0x00080100, VR.SH, "121320");
        ds.setSequence(0x00081110, List.of(item1, item2));
        ds.setSequence(0x00081111, List.of());
        ds.put(new ValueElement(0x00420011, VR.OB, new byte[] {1, 2, 3, 4}));
        ds.put(new BulkDataElement(Tag.PixelData, VR.OW, -1, -1, false, "https://archive/bulk/7FE00010"));
        ds.put(new ValueElement(0x00100020, VR.LO, new byte[0]));
        return ds;
    }

    @Test
    void everyKindOfValueReadsBack() throws Exception {
        Document d = parse(NativeXmlWriter.toXml(sample()));
        assertEquals(NativeXmlWriter.NAMESPACE, d.getDocumentElement().getNamespaceURI());
        assertEquals("preserve", d.getDocumentElement().getAttributeNS("http://www.w3.org/XML/1998/namespace", "space"));
        String a = "/NativeDicomModel/DicomAttribute";
        assertEquals("ImageType", x(d, a + "[@tag='00080008']/@keyword"));
        assertEquals("CS", x(d, a + "[@tag='00080008']/@vr"));
        assertEquals("ORIGINAL||AXIAL", x(d, a + "[@tag='00080008']/Value[@number='1']") + "|"
                + x(d, a + "[@tag='00080008']/Value[@number='2']") + "|" + x(d, a + "[@tag='00080008']/Value[@number='3']"));
        String pn = a + "[@tag='00100010']/PersonName";
        assertEquals("Yamada", x(d, pn + "[@number='1']/Alphabetic/FamilyName"));
        assertEquals("Tarou", x(d, pn + "[@number='1']/Alphabetic/GivenName"));
        assertEquals("Dr", x(d, pn + "[@number='1']/Alphabetic/NamePrefix"));
        assertEquals("Jr", x(d, pn + "[@number='1']/Alphabetic/NameSuffix"));
        assertEquals("0", x(d, "count(" + pn + "[@number='1']/Alphabetic/MiddleName)"));
        assertEquals("山田", x(d, pn + "[@number='1']/Ideographic/FamilyName"));
        assertEquals("たろう", x(d, pn + "[@number='1']/Phonetic/GivenName"));
        assertEquals("0", x(d, "count(" + pn + "[@number='2']/*)"));
        assertEquals("Jane", x(d, pn + "[@number='3']/Alphabetic/GivenName"));
        assertEquals("1.50,-.5", x(d, a + "[@tag='00181050']/Value[1]") + "," + x(d, a + "[@tag='00181050']/Value[2]"));
        assertEquals("+007", x(d, a + "[@tag='00200013']/Value"));
        assertEquals("00100010 7FE00010", x(d, a + "[@tag='00209165']/Value[1]") + " " + x(d, a + "[@tag='00209165']/Value[2]"));
        assertEquals("NaN", x(d, a + "[@tag='00189087']/Value"));
        assertEquals("512", x(d, a + "[@tag='00280010']/Value"));
        assertEquals("ACME 1.0", x(d, a + "[@tag='00290010']/Value"));
        assertEquals("1", x(d, "count(" + a + "[@tag='00290010' and not(@privateCreator)])"));
        assertEquals("00290010", x(d, a + "[@privateCreator='ACME 1.0']/@tag")); // PS3.19: block byte zeroed, creator named
        assertEquals("PRIVATE VALUE", x(d, a + "[@privateCreator='ACME 1.0']/Value"));
        assertEquals("", x(d, a + "[@privateCreator='ACME 1.0']/@keyword"));
        assertEquals("bell\uFFFDhere", x(d, a + "[@tag='00081030']/Value"));
        assertEquals("2", x(d, "count(" + a + "[@tag='00081110']/Item)"));
        assertEquals("121320", x(d, a + "[@tag='00081110']/Item[@number='1']/DicomAttribute[@tag='00080100']/Value"));
        assertEquals("0", x(d, "count(" + a + "[@tag='00081110']/Item[@number='2']/*)"));
        assertEquals("0", x(d, "count(" + a + "[@tag='00081111']/*)"));
        assertEquals(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4}), x(d, a + "[@tag='00420011']/InlineBinary"));
        assertEquals("https://archive/bulk/7FE00010", x(d, a + "[@tag='7FE00010']/BulkData/@uri"));
        assertEquals("1", x(d, "count(" + a + "[@tag='00100020'])"));
        assertEquals("0", x(d, "count(" + a + "[@tag='00100020']/*)"));
    }

    @Test
    void bulkDataThresholdAsksForUrisWithTheTagPath() throws Exception {
        DataSet ds = new DataSet();
        DataSet item = new DataSet();
        item.put(new ValueElement(0x00420011, VR.OB, new byte[100]));
        ds.setSequence(0x00400275, List.of(item));
        ds.put(new ValueElement(0x00420011, VR.OB, new byte[10]));
        List<String> asked = new ArrayList<>();
        var out = new java.io.ByteArrayOutputStream();
        NativeXmlWriter.write(out, ds, new NativeXmlWriter.Options(50, (path, e) -> {
            asked.add(path);
            return "bulk/" + path;
        }, null));
        Document d = parse(out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("00400275/0/00420011"), asked);
        assertEquals("bulk/00400275/0/00420011", x(d, "/NativeDicomModel/DicomAttribute/Item/DicomAttribute/BulkData/@uri"));
        assertEquals(Base64.getEncoder().encodeToString(new byte[10]), x(d, "/NativeDicomModel/DicomAttribute[@tag='00420011']/InlineBinary"));
    }

    /** Every readable pydicom file gives well-formed XML with one DicomAttribute per element (group lengths aside). */
    @TestFactory
    List<DynamicTest> everyPydicomFileGivesWellFormedXml() throws Exception {
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
                Document d = parse(NativeXmlWriter.toXml(f.dataSet()));
                int expected = 0;
                for (Element e : f.dataSet()) if (!Tag.isGroupLength(e.tag())) expected++;
                assertEquals(String.valueOf(expected), x(d, "count(/NativeDicomModel/DicomAttribute)"));
            }));
        }
        return tests;
    }
}
