package dev.stratus.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stratus.codec.DataDictionary.Entry;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataDictionaryTest {

    @Test
    void patientName() {
        Entry e = DataDictionary.entry(0x00100010);
        assertNotNull(e);
        assertEquals("PatientName", e.keyword());
        assertEquals("Patient's Name", e.name());
        assertEquals(VR.PN, e.vr());
        assertEquals("1", e.vm());
        assertFalse(e.retired());
        assertEquals(0x00100010, DataDictionary.tagOf("PatientName"));
    }

    @Test
    void pixelDataIsObOrOwAndImplicitlyOw() {
        Entry e = DataDictionary.entry(Tag.PixelData);
        assertArrayEquals(new VR[] {VR.OB, VR.OW}, e.vrs());
        assertEquals(VR.OW, DataDictionary.vrOf(Tag.PixelData));
        assertEquals(VR.OW, DataDictionary.vrOf(0x54001010)); // WaveformData
        assertEquals(VR.OW, DataDictionary.vrOf(0x60003000)); // OverlayData
    }

    @Test
    void usOrSsFollowsPixelRepresentation() {
        int smallest = 0x00280106;
        Entry e = DataDictionary.entry(smallest);
        assertEquals("SmallestImagePixelValue", e.keyword());
        assertArrayEquals(new VR[] {VR.US, VR.SS}, e.vrs());
        assertEquals(VR.US, DataDictionary.vrOf(smallest));
        assertEquals(VR.US, DataDictionary.vrOf(smallest, 0));
        assertEquals(VR.SS, DataDictionary.vrOf(smallest, 1));
        assertEquals(VR.PN, DataDictionary.vrOf(0x00100010, 1));
        assertEquals(VR.US, DataDictionary.vrOf(0x00283006, 1)); // LUTData is "US or OW", not signed
    }

    @Test
    void overlayRepeatingGroup() {
        Entry e = DataDictionary.entry(0x60023000);
        assertNotNull(e);
        assertEquals("OverlayData", e.keyword());
        assertEquals("OverlayData", DataDictionary.keywordOf(0x601E3000));
        assertEquals(0x60003000, DataDictionary.tagOf("OverlayData"));
        assertEquals(VR.US, DataDictionary.vrOf(0x60020010)); // OverlayRows
        assertEquals(VR.SS, DataDictionary.vrOf(0x60020050)); // OverlayOrigin
        assertNull(DataDictionary.entry(0x60203000)); // beyond 601E
        assertNull(DataDictionary.entry(0x60013000)); // odd group: private
        assertEquals(VR.UN, DataDictionary.vrOf(0x60013000));
    }

    @Test
    void curveDataIsRetired() {
        Entry e = DataDictionary.entry(0x50043000);
        assertNotNull(e);
        assertEquals("CurveData", e.keyword());
        assertTrue(e.retired());
        assertArrayEquals(new VR[] {VR.OB, VR.OW}, e.vrs());
        assertEquals(0x50003000, DataDictionary.tagOf("CurveData"));
    }

    @Test
    void otherMasks() {
        assertEquals("EscapeTriplet", DataDictionary.keywordOf(0x10000120)); // 1000xxx0
        assertEquals("ZonalMap", DataDictionary.keywordOf(0x10101234)); // 1010xxxx
        assertEquals("SourceImageIDs", DataDictionary.keywordOf(0x002031AB)); // 002031xx
        assertEquals("VariablePixelData", DataDictionary.keywordOf(0x7F100010)); // 7Fxx0010
        assertEquals("PixelData", DataDictionary.keywordOf(0x7FE00010)); // exact entry wins
        assertEquals("TransformLabel", DataDictionary.keywordOf(0x00280400)); // exact, not 002804x0
        assertEquals("RowsForNthOrderCoefficients", DataDictionary.keywordOf(0x00280410));
        assertEquals(0x00280410, DataDictionary.tagOf("RowsForNthOrderCoefficients")); // first tag not taken
        assertEquals(0x10000010, DataDictionary.tagOf("EscapeTriplet")); // (1000,0000) is a group length
    }

    @Test
    void fileMetaAndCommandGroups() {
        Entry ts = DataDictionary.entry(Tag.TransferSyntaxUID);
        assertEquals("TransferSyntaxUID", ts.keyword());
        assertEquals(VR.UI, ts.vr());
        assertEquals(VR.OB, DataDictionary.vrOf(Tag.FileMetaInformationVersion));
        Entry cmd = DataDictionary.entry(0x00000100);
        assertEquals("CommandField", cmd.keyword());
        assertEquals(VR.US, cmd.vr());
        assertEquals(VR.UL, DataDictionary.vrOf(0x00000000));
    }

    @Test
    void implicitVrFallbacks() {
        assertEquals(VR.UL, DataDictionary.vrOf(0x00090000)); // group length, even a private one
        assertEquals(VR.UL, DataDictionary.vrOf(0x00280000));
        assertEquals(VR.LO, DataDictionary.vrOf(0x00090010)); // private creator
        assertEquals(VR.LO, DataDictionary.vrOf(0x001900FF));
        assertEquals(VR.UN, DataDictionary.vrOf(0x00091001)); // private data
        assertEquals(VR.UN, DataDictionary.vrOf(0x00100001)); // not in PS3.6
        assertEquals(VR.UN, DataDictionary.vrOf(0xFFFEE000)); // item: skipped by the generator
        assertNull(DataDictionary.entry(0x00100001));
        assertEquals("", DataDictionary.keywordOf(0x00091001));
        assertEquals(-1, DataDictionary.tagOf("NoSuchKeyword"));
        assertEquals(-1, DataDictionary.tagOf(null));
        assertEquals("DataSetTrailingPadding", DataDictionary.keywordOf(0xFFFCFFFC)); // unsigned above 0x8000...
    }

    @Test
    void sizeAndUniqueKeywords() {
        assertTrue(DataDictionary.entries().size() > 4000, "entries: " + DataDictionary.entries().size());
        Set<String> seen = new HashSet<>();
        for (Entry e : DataDictionary.entries()) {
            if (!e.keyword().isEmpty()) assertTrue(seen.add(e.keyword()), "duplicate " + e.keyword());
        }
        assertTrue(seen.size() > 4000);
    }

    @Test
    void keywordTagKeywordRoundTrip() {
        int n = 0;
        for (Entry e : DataDictionary.entries()) {
            if (e.keyword().isEmpty()) continue; // a few retired entries have no keyword in PS3.6
            int tag = DataDictionary.tagOf(e.keyword());
            assertEquals(e.tag(), tag, e.keyword());
            assertSame(e, DataDictionary.entry(tag), e.keyword());
            assertEquals(e.keyword(), DataDictionary.keywordOf(tag));
            n++;
        }
        assertTrue(n > 4000);
    }

    @Test
    void tagConstantsAreTheDictionarysKeywords() throws Exception {
        Set<String> constants = new HashSet<>();
        for (java.lang.reflect.Field f : Tag.class.getFields()) {
            if (f.getType() != int.class) continue;
            constants.add(f.getName());
            int tag = f.getInt(null);
            if (tag == Tag.Item || tag == Tag.ItemDelimitationItem || tag == Tag.SequenceDelimitationItem) continue;
            assertEquals(DataDictionary.tagOf(f.getName()), tag, f.getName());
        }
        // and every keyword of an exact tag has its constant (repeating groups such as 60xx3000 have none)
        int exact = 0;
        try (var in = DataDictionary.class.getResourceAsStream("dictionary.tsv")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
                String[] f = line.split("\t", -1);
                if (line.startsWith("#") || f[0].contains("x") || f[4].isEmpty()) continue;
                assertTrue(constants.contains(f[4]), "no Tag." + f[4]);
                exact++;
            }
        }
        assertTrue(exact > 4000, "exact keywords: " + exact);
    }

    @Test
    void parseTagForms() {
        assertEquals(0x00100010, DataDictionary.parseTag("PatientName"));
        assertEquals(0x00100010, DataDictionary.parseTag("00100010"));
        assertEquals(0x00100010, DataDictionary.parseTag("0010,0010"));
        assertEquals(0x00100010, DataDictionary.parseTag("(0010,0010)"));
        assertEquals(0x7FE00010, DataDictionary.parseTag("(7fe0,0010)"));
        assertEquals(0xFFFEE000, DataDictionary.parseTag("FFFEE000"));
        assertEquals(0x00091001, DataDictionary.parseTag(" 00091001 ")); // private tags parse too
        assertEquals(0x60003000, DataDictionary.parseTag("OverlayData"));
        assertEquals(-1, DataDictionary.parseTag("patientname"));
        assertEquals(-1, DataDictionary.parseTag("0010001"));
        assertEquals(-1, DataDictionary.parseTag("00,100010"));
        assertEquals(-1, DataDictionary.parseTag("-0100010"));
        assertEquals(-1, DataDictionary.parseTag("(00100010)"));
        assertEquals(-1, DataDictionary.parseTag("0010,001G"));
        assertEquals(-1, DataDictionary.parseTag(""));
        assertEquals(-1, DataDictionary.parseTag(null));
    }
}
