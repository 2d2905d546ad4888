package dev.stratus.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Examples of PS3.5 Annexes H to K and the values of pydicom's charset_files (chrH31.dcm ...), bytes written
 * as Latin-1 strings ("\u001b" is ESC). Other expected bytes come from pydicom 2.3.1's encode_string.
 */
class SpecificCharacterSetTest {

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String decode(String raw, VR vr, String... terms) {
        byte[] b = bytes(raw);
        return SpecificCharacterSet.of(terms).decode(b, 0, b.length, vr);
    }

    static String[] values(String raw, VR vr, String... terms) {
        return Values.strings(new ValueElement(0x00100010, vr, bytes(raw)), SpecificCharacterSet.of(terms));
    }

    /** raw decodes to text and text encodes to exactly raw. */
    static void assertBoth(String text, String raw, VR vr, String... terms) {
        assertEquals(text, decode(raw, vr, terms));
        assertArrayEquals(bytes(raw), SpecificCharacterSet.of(terms).encode(text, vr), "encoding of " + text);
    }

    static void assertRoundTrip(String text, VR vr, String... terms) {
        SpecificCharacterSet cs = SpecificCharacterSet.of(terms);
        byte[] b = cs.encode(text, vr);
        assertEquals(text, cs.decode(b, 0, b.length, vr));
    }

    // PS3.5 H.3.1, chrH31.dcm
    @Test
    void japaneseWithIr87() {
        assertBoth("Yamada^Tarou=山田^太郎=やまだ^たろう",
                "Yamada^Tarou=\u001b$B;3ED\u001b(B^\u001b$BB@O:\u001b(B=\u001b$B$d$^$@\u001b(B^\u001b$B$?$m$&\u001b(B",
                VR.PN, "", "ISO 2022 IR 87");
    }

    // PS3.5 H.3.2, chrH32.dcm: value 1 puts JIS X 0201 Romaji in G0, so ESC ( J restores it
    @Test
    void japaneseWithIr13AndIr87() {
        assertBoth("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう",
                "\u00d4\u00cf\u00c0\u00de^\u00c0\u00db\u00b3=\u001b$B;3ED\u001b(J^\u001b$BB@O:\u001b(J=\u001b$B$d$^$@\u001b(J^\u001b$B$?$m$&\u001b(J",
                VR.PN, "ISO 2022 IR 13", "ISO 2022 IR 87");
    }

    // chrJapMulti.dcm and chrJapMultiExplicitIR6.dcm: two PN values, and an LT
    @ParameterizedTest
    @ValueSource(strings = {"", "ISO 2022 IR 6"})
    void japaneseMultiValued(String first) {
        String pn = "\u001b$B$d$^$@\u001b(B^\u001b$B$?$m$&\u001b(B";
        assertArrayEquals(new String[] {"やまだ^たろう", "やまだ^たろう"}, values(pn + "\\" + pn + " ", VR.PN, first, "ISO 2022 IR 87"));
        assertBoth("たろう", "\u001b$B$?$m$&\u001b(B", VR.LT, first, "ISO 2022 IR 87");
    }

    // PS3.5 I.2, chrI2.dcm: KS X 1001 is designated to G1 again in each component
    @Test
    void koreanWithIr149() {
        assertBoth("Hong^Gildong=洪^吉洞=홍^길동",
                "Hong^Gildong=\u001b$)C\u00fb\u00f3^\u001b$)C\u00d1\u00ce\u00d4\u00d7=\u001b$)C\u00c8\u00ab^\u001b$)C\u00b1\u00e6\u00b5\u00bf",
                VR.PN, "", "ISO 2022 IR 149");
    }

    // chrKoreanMulti.dcm: the writer restored G0 though it never left ASCII
    @Test
    void koreanMultiValued() {
        String pn = "\u001b$)C\u00b1\u00e8\u00c8\u00f1\u00c1\u00df\u001b(B";
        assertArrayEquals(new String[] {"김희중", "김희중"}, values(pn + "\\" + pn + " ", VR.PN, "", "ISO 2022 IR 149"));
        assertEquals("김희중 ", decode(pn + " ", VR.LT, "", "ISO 2022 IR 149"));
        assertRoundTrip("김희중 홍길동\r\n김희중", VR.LT, "", "ISO 2022 IR 149");
    }

    // PS3.5 J.1 (UTF-8) and J.3 (GB18030); chrX1.dcm carries the traditional 東
    @Test
    void chineseWithoutCodeExtensions() {
        assertBoth("Wang^XiaoDong=王^小东=", "Wang^XiaoDong=\u00e7\u008e\u008b^\u00e5\u00b0\u008f\u00e4\u00b8\u009c=", VR.PN, "ISO_IR 192");
        assertEquals("Wang^XiaoDong=王^小東= ", decode("Wang^XiaoDong=\u00e7\u008e\u008b^\u00e5\u00b0\u008f\u00e6\u009d\u00b1= ", VR.PN, "ISO_IR 192"));
        assertBoth("Wang^XiaoDong=王^小东=", "Wang^XiaoDong=\u00cd\u00f5^\u00d0\u00a1\u00b6\u00ab=", VR.PN, "GB18030");
        assertBoth("Wang^XiaoDong=王^小东=", "Wang^XiaoDong=\u00cd\u00f5^\u00d0\u00a1\u00b6\u00ab=", VR.PN, "GBK");
        assertRoundTrip("𠀋^€", VR.PN, "ISO_IR 192");
        assertRoundTrip("𠀋^€", VR.PN, "GB18030");
    }

    // GBK trail bytes may be 0x5C: values are split after decoding, so they stay whole
    @Test
    void gbkTrailByteBackslashIsNoDelimiter() {
        String raw = new String("乗".getBytes(Charset.forName("GBK")), StandardCharsets.ISO_8859_1);
        assertEquals('\\', raw.charAt(1));
        assertArrayEquals(new String[] {"乗", "a"}, values(raw + "\\a", VR.LO, "GBK"));
    }

    // PS3.5 K.2: GB 2312 designated to G1 in each component; the value is padded with a space
    @Test
    void chineseWithIr58() {
        String raw = "Zhang^XiaoDong=\u001b$)A\u00d5\u00c5^\u001b$)A\u00d0\u00a1\u00b6\u00ab=";
        assertBoth("Zhang^XiaoDong=张^小东=", raw, VR.PN, "", "ISO 2022 IR 58");
        assertArrayEquals(new String[] {"Zhang^XiaoDong=张^小东="}, values(raw + " ", VR.PN, "", "ISO 2022 IR 58"));
    }

    // PS3.5 K.3: an LT whose lines each designate GB 2312 and end by designating ASCII
    @Test
    void chineseLongTextWithIr58() {
        String line = "\u001b$)A\u00b5\u00da%s\u00d0\u00d0\u00ce\u00c4\u00d7\u00d6\u00a1\u00a3\u001b(B\r\n";
        String raw = "1." + line.formatted("\u00d2\u00bb") + "2." + line.formatted("\u00b6\u00fe") + "3." + line.formatted("\u00c8\u00fd") + " ";
        String text = "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n ";
        assertEquals(text, decode(raw, VR.LT, "", "ISO 2022 IR 58"));
        assertRoundTrip(text, VR.LT, "", "ISO 2022 IR 58");
    }

    // chrArab, chrFren, chrGerm, chrGreek, chrHbrw, chrRuss (pydicom charset_files); the rest from pydicom's encoder
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "100 | Buc^Jérôme          | Buc^J\u00e9r\u00f4me",
            "100 | Äneas^Rüdiger       | \u00c4neas^R\u00fcdiger",
            "101 | Dvořák^Antonín      | Dvo\u00f8\u00e1k^Anton\u00edn",
            "109 | Ġużeppi^Ħal         | \u00d5u\u00bfeppi^\u00a1al",
            "110 | Ļūdis^Ģirts         | \u00a6\u00fedis^\u00abirts",
            "144 | Люкceмбypг          | \u00bb\u00ee\u00dace\u00dc\u00d1yp\u00d3",
            "127 | قباني^لنزار         | \u00e2\u00c8\u00c7\u00e6\u00ea^\u00e4\u00e6\u00d2\u00c7\u00d1",
            "126 | Διονυσιος           | \u00c4\u00e9\u00ef\u00ed\u00f5\u00f3\u00e9\u00ef\u00f2",
            "138 | שרון^דבורה          | \u00f9\u00f8\u00e5\u00ef^\u00e3\u00e1\u00e5\u00f8\u00e4",
            "148 | Öztürk^Şükrü        | \u00d6zt\u00fcrk^\u00de\u00fckr\u00fc",
            "203 | Œdipe^€             | \u00bcdipe^\u00a4",
            "166 | ทดสอบ^ภาษาไทย       | \u00b7\u00b4\u00ca\u00cd\u00ba^\u00c0\u00d2\u00c9\u00d2\u00e4\u00b7\u00c2",
            "13  | ﾔﾏﾀﾞ^ﾀﾛｳ            | \u00d4\u00cf\u00c0\u00de^\u00c0\u00db\u00b3"})
    void singleByte(String ir, String text, String raw) {
        assertBoth(text, raw, VR.PN, "ISO_IR " + ir);
        assertBoth(text, raw, VR.PN, "ISO 2022 IR " + ir);
    }

    // every byte a single-byte set assigns survives decode then encode
    @ParameterizedTest
    @ValueSource(strings = {"100", "101", "109", "110", "144", "127", "126", "138", "148", "203", "13", "166"})
    void singleByteTablesRoundTrip(String ir) {
        SpecificCharacterSet cs = SpecificCharacterSet.of("ISO_IR " + ir);
        StringBuilder raw = new StringBuilder();
        for (int b = 0x20; b < 0x100; b++) {
            if (b >= 0x7F && b < 0xA0 || b == '\\') continue;
            byte[] one = {(byte) b};
            if (cs.decode(one, 0, 1, VR.LT).charAt(0) != '\uFFFD') raw.append((char) b);
        }
        byte[] b = bytes(raw.toString());
        String text = cs.decode(b, 0, b.length, VR.LO);
        assertArrayEquals(b, cs.encode(text, VR.LO));
    }

    // 0x5C is the value delimiter even where JIS X 0201 puts the yen sign
    @Test
    void backslashUnderIr13() {
        assertArrayEquals(new String[] {"ﾔﾏﾀﾞ", "ﾀﾛｳ"}, values("\u00d4\u00cf\u00c0\u00de\\\u00c0\u00db\u00b3", VR.LO, "ISO_IR 13"));
        assertArrayEquals(bytes("\u00d4\u00cf\u00c0\u00de\\\u00c0\u00db\u00b3"), SpecificCharacterSet.of("ISO_IR 13").encode("ﾔﾏﾀﾞ\\ﾀﾛｳ", VR.LO));
    }

    @Test
    void singleByteSetsWithCodeExtensions() {
        String[] terms = {"ISO 2022 IR 100", "ISO 2022 IR 144"};
        // value 1's Latin-1 needs no escape; Cyrillic is designated, then Latin-1 restored at the end
        assertBoth("Müller^Люк", "M\u00fcller^\u001b-L\u00bb\u00ee\u00da\u001b-A", VR.PN, terms);
        // as pydicom writes it
        assertEquals("Müller^Люк", decode("\u001b-AM\u00fcller^\u001b-L\u00bb\u00ee\u00da", VR.PN, terms));
        assertRoundTrip("Ελλάδα Россия Ísland Polska ąę", VR.LT, "", "ISO 2022 IR 126", "ISO 2022 IR 144", "ISO 2022 IR 100", "ISO 2022 IR 101");
    }

    @Test
    void jisX0212WithIr159() {
        assertBoth("丂山", "\u001b$(D0!\u001b$B;3\u001b(B", VR.LO, "", "ISO 2022 IR 87", "ISO 2022 IR 159");
    }

    @Test
    void mixedJapaneseKoreanChinese() {
        assertRoundTrip("山田 やまだ ﾔﾏﾀﾞ^홍길동=张小东", VR.PN, "ISO 2022 IR 13", "ISO 2022 IR 87", "ISO 2022 IR 149", "ISO 2022 IR 58");
    }

    // PS3.5 6.1.2.5.3: value 1's sets are active again after delimiters
    @Test
    void delimitersRestoreValue1Sets() {
        String[] terms = {"ISO 2022 IR 100", "ISO 2022 IR 144"};
        assertArrayEquals(new String[] {"Л", "»"}, values("\u001b-L\u00bb\\\u00bb", VR.LO, terms));
        assertArrayEquals(new String[] {"Л\\Л"}, values("\u001b-L\u00bb\\\u00bb", VR.LT, terms)); // LT is one value
        assertEquals("Л=»^»", decode("\u001b-L\u00bb=\u00bb^\u00bb", VR.PN, terms));
        assertEquals("Л=Л", decode("\u001b-L\u00bb=\u00bb", VR.LO, terms)); // '=' delimits only in PN
        // a writer that forgot ESC ( B before the line end
        assertEquals("山田\r\nabc", decode("\u001b$B;3ED\r\nabc", VR.LT, "", "ISO 2022 IR 87"));
        // with nothing in G1 initially, a G1 designation is kept rather than reading GR bytes as Latin-1
        assertEquals("김^희", decode("\u001b$)C\u00b1\u00e8^\u00c8\u00f1", VR.PN, "", "ISO 2022 IR 149"));
    }

    @Test
    void encoderRestoresBeforeLineEndsAndBackslashes() {
        assertBoth("山田\r\n川", "\u001b$B;3ED\u001b(B\r\n\u001b$B@n\u001b(B", VR.LT, "", "ISO 2022 IR 87");
        // in LT a backslash is text, but still needs ASCII in G0
        assertBoth("山\\田", "\u001b$B;3\u001b(B\\\u001b$BED\u001b(B", VR.LT, "", "ISO 2022 IR 87");
        assertArrayEquals(new String[] {"山\\田"}, values("\u001b$B;3\u001b(B\\\u001b$BED\u001b(B", VR.LT, "", "ISO 2022 IR 87"));
        SpecificCharacterSet cs = SpecificCharacterSet.of("", "ISO 2022 IR 87");
        byte[] lo = cs.encode("山田\\やまだ", VR.LO);
        assertArrayEquals(new String[] {"山田", "やまだ"}, Values.strings(new ValueElement(0x00100020, VR.LO, lo), cs));
    }

    @Test
    void unencodableCharactersBecomeQuestionMarks() {
        assertArrayEquals(bytes("a?b"), SpecificCharacterSet.of("ISO_IR 100").encode("aЖb", VR.LO));
        assertArrayEquals(bytes("\u001b$B;3\u001b(B?"), SpecificCharacterSet.of("", "ISO 2022 IR 87").encode("山𠀋", VR.LO));
        assertArrayEquals(bytes("?"), SpecificCharacterSet.of("", "ISO 2022 IR 87").encode("\u001b", VR.LO));
    }

    @Test
    void unknownEscapeSequencesAreDropped() {
        assertEquals("ab", decode("a\u001b$Zb", VR.LO, "", "ISO 2022 IR 87"));
        assertEquals("a", decode("a\u001b", VR.LO, "", "ISO 2022 IR 87"));
        // ESC $ @, the 1978 edition of JIS X 0208
        assertEquals("山", decode("\u001b$@;3\u001b(B", VR.LO, "", "ISO 2022 IR 87"));
    }

    @Test
    void defaultRepertoire() {
        assertSame(SpecificCharacterSet.DEFAULT, SpecificCharacterSet.of());
        assertSame(SpecificCharacterSet.DEFAULT, SpecificCharacterSet.of(""));
        assertTrue(SpecificCharacterSet.DEFAULT.isKnown());
        assertFalse(SpecificCharacterSet.DEFAULT.usesCodeExtensions());
        assertBoth("Doe^John", "Doe^John", VR.PN);
        // stray Latin-1 bytes without (0008,0005) are read leniently, and written back the same way
        assertBoth("Jérôme", "J\u00e9r\u00f4me", VR.PN);
        // an empty value 1 with others is the default repertoire with code extensions
        assertTrue(SpecificCharacterSet.of("", "ISO 2022 IR 87").usesCodeExtensions());
    }

    static final List<String> DEFINED_TERMS = List.of(
            "ISO_IR 100", "ISO_IR 101", "ISO_IR 109", "ISO_IR 110", "ISO_IR 144", "ISO_IR 127", "ISO_IR 126",
            "ISO_IR 138", "ISO_IR 148", "ISO_IR 203", "ISO_IR 13", "ISO_IR 166",
            "ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 101", "ISO 2022 IR 109", "ISO 2022 IR 110",
            "ISO 2022 IR 144", "ISO 2022 IR 127", "ISO 2022 IR 126", "ISO 2022 IR 138", "ISO 2022 IR 148",
            "ISO 2022 IR 203", "ISO 2022 IR 13", "ISO 2022 IR 166",
            "ISO 2022 IR 87", "ISO 2022 IR 159", "ISO 2022 IR 149", "ISO 2022 IR 58",
            "ISO_IR 192", "GB18030", "GBK");

    @Test
    void everyDefinedTermIsKnown() {
        for (String term : DEFINED_TERMS) {
            SpecificCharacterSet cs = SpecificCharacterSet.of(term);
            assertTrue(cs.isKnown(), term);
            assertEquals(List.of(), cs.unknownTerms(), term);
            assertEquals(term.startsWith("ISO 2022"), cs.usesCodeExtensions(), term);
            assertBoth("Doe^John\\1.2", "Doe^John\\1.2", VR.PN, term);
            if (term.startsWith("ISO 2022")) assertTrue(SpecificCharacterSet.of("", term).isKnown(), term);
        }
    }

    @Test
    void unknownTermsAreReportedNotThrown() {
        SpecificCharacterSet cs = SpecificCharacterSet.of("ISO_IR 999");
        assertFalse(cs.isKnown());
        assertEquals(List.of("ISO_IR 999"), cs.unknownTerms());
        assertBoth("Jérôme", "J\u00e9r\u00f4me", VR.PN, "ISO_IR 999"); // read as Latin-1
        // a misspelt term is reported but still used
        assertEquals(List.of("ISO-IR 144"), SpecificCharacterSet.of("ISO-IR 144").unknownTerms());
        assertEquals("Люк", decode("\u00bb\u00ee\u00da", VR.PN, "ISO-IR 144"));
        assertEquals("Л", decode("\u00bb", VR.PN, "iso_ir144"));
        // the known values of a partly unknown (0008,0005) still work
        assertEquals(List.of("FOO"), SpecificCharacterSet.of("", "ISO 2022 IR 87", "FOO").unknownTerms());
        assertEquals("山田", decode("\u001b$B;3ED\u001b(B", VR.PN, "", "ISO 2022 IR 87", "FOO"));
    }
}
