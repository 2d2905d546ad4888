package dev.stratus.web.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MediaTypeTest {
    @Test
    void typeSubtypeAndParameterNamesAreLowerCasedValuesKeepTheirCase() {
        MediaType m = MediaType.parse("Multipart/Related; TYPE=\"application/dicom\"; Boundary=AbC");
        assertEquals("multipart", m.type());
        assertEquals("related", m.subtype());
        assertEquals(Optional.of("application/dicom"), m.parameter("Type"));
        assertEquals(Optional.of("AbC"), m.parameter("boundary"));
    }

    @Test
    void unquotedValuesMayContainSlashesAndEquals() {
        MediaType m = MediaType.parse("multipart/related; type=application/dicom; boundary=----=_Part_0");
        assertEquals(Optional.of("application/dicom"), m.parameter("type"));
        assertEquals(Optional.of("----=_Part_0"), m.parameter("boundary"));
    }

    @Test
    void quotedStringsUnescapeBackslashesAndKeepSemicolonsAndCommas() {
        MediaType m = MediaType.parse("text/plain; a=\"x\\\"y\\\\z\"; b=\"1;2,3\"");
        assertEquals(Optional.of("x\"y\\z"), m.parameter("a"));
        assertEquals(Optional.of("1;2,3"), m.parameter("b"));
    }

    @Test
    void spacesAroundSeparatorsAndEmptyParametersAreTolerated() {
        MediaType m = MediaType.parse("  application/dicom ;; transfer-syntax = 1.2.840.10008.1.2.1 ; ");
        assertEquals("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", m.toString());
    }

    @Test
    void repeatedParametersAreAllKeptAndTheFirstAnswersParameter() {
        MediaType m = MediaType.parse("application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50; transfer-syntax=1.2.840.10008.1.2.1");
        assertEquals(Optional.of("1.2.840.10008.1.2.4.50"), m.parameter("transfer-syntax"));
        assertEquals(List.of("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.1"), m.parameters("transfer-syntax"));
        assertEquals(m, MediaType.parse(m.toString()));
    }

    @Test
    void toStringQuotesValuesThatAreNotTokens() {
        MediaType m = MediaType.MULTIPART_RELATED.withParameter("type", "application/dicom")
                .withParameter("transfer-syntax", "1.2.840.10008.1.2.1").withParameter("x", "a \"b\"").withParameter("e", "");
        assertEquals("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1; x=\"a \\\"b\\\"\"; e=\"\"",
                m.toString());
        assertEquals(m, MediaType.parse(m.toString()));
    }

    @Test
    void withParameterReplacesEveryValueOfThatName() {
        MediaType m = MediaType.parse("a/b; x=1; y=2; X=3").withParameter("x", "4");
        assertEquals("a/b; y=2; x=4", m.toString());
    }

    @Test
    void wildcardsParse() {
        assertTrue(MediaType.parse("*/*").isWildcardType());
        MediaType image = MediaType.parse("image/*");
        assertFalse(image.isWildcardType());
        assertTrue(image.isWildcardSubtype());
    }

    @Test
    void malformedTypesSayWhatAndWhere() {
        assertMalformed("application", "malformed media type 'application': expected '/' after the type at position 11");
        assertMalformed("application/", "malformed media type 'application/': expected a subtype at position 12");
        assertMalformed("*/json", "malformed media type '*/json': '*/json' is not a media range at position 6");
        assertMalformed("text/plain; charset", "malformed media type 'text/plain; charset': expected '=' after parameter 'charset' at position 19");
        assertMalformed("text/plain; a=\"open", "malformed media type 'text/plain; a=\"open': unterminated quoted string at position 14");
        assertMalformed("text/plain; a=", "malformed media type 'text/plain; a=': parameter 'a' has no value at position 14");
        assertMalformed("application/dicom json", "malformed media type 'application/dicom json': expected ';' or the end after the subtype at position 18");
        assertMalformed("text/plain; a=1 b=2", "malformed media type 'text/plain; a=1 b=2': expected ';' before a parameter at position 16");
        assertMalformed("", "malformed media type '': expected a type at position 0");
    }

    private static void assertMalformed(String text, String message) {
        MalformedHeaderException e = assertThrows(MalformedHeaderException.class, () -> MediaType.parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void rangesIncludeByWildcardAndParameters() {
        MediaType dicom = MediaType.parse("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1");
        assertTrue(MediaType.ANY.includes(dicom));
        assertTrue(MediaType.parse("multipart/*").includes(dicom));
        assertTrue(MediaType.parse("multipart/related").includes(dicom));
        assertTrue(MediaType.parse("multipart/related; type=application/dicom").includes(dicom));
        assertTrue(MediaType.parse("multipart/related; type=\"Application/DICOM\"").includes(dicom));
        assertFalse(MediaType.parse("multipart/related; type=application/octet-stream").includes(dicom));
        assertFalse(MediaType.parse("multipart/related; type=application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50").includes(dicom));
        assertFalse(MediaType.parse("image/*").includes(dicom));
        assertFalse(MediaType.parse("multipart/related; charset=utf-8").includes(dicom));
        assertTrue(MediaType.parse("multipart/related; q=0.5").includes(dicom));
    }

    @Test
    void transferSyntaxStarIncludesAnyTransferSyntaxOrNone() {
        MediaType range = MediaType.parse("application/dicom; transfer-syntax=*");
        assertTrue(range.includes(MediaType.parse("application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50")));
        assertTrue(range.includes(MediaType.APPLICATION_DICOM));
        assertTrue(MediaType.parse("application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50")
                .includes(MediaType.parse("application/dicom; transfer-syntax=*")));
    }

    @Test
    void aRepeatedRangeParameterAcceptsAnyOfItsValues() {
        MediaType range = MediaType.parse("application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50; transfer-syntax=1.2.840.10008.1.2.1");
        assertTrue(range.includes(MediaType.parse("application/dicom; transfer-syntax=1.2.840.10008.1.2.1")));
        assertFalse(range.includes(MediaType.parse("application/dicom; transfer-syntax=1.2.840.10008.1.2.5")));
    }

    @Test
    void legacyNamesMatchTheirCurrentNames() {
        assertEquals(MediaType.parse("image/jls"), MediaType.parse("image/x-jls").canonical());
        assertEquals(MediaType.parse("image/dicom-rle; a=1"), MediaType.parse("image/x-dicom-rle; a=1").canonical());
        assertTrue(MediaType.parse("image/x-jls").includes(MediaType.parse("image/jls")));
        assertTrue(MediaType.parse("image/dicom-rle").includes(MediaType.parse("image/x-dicom-rle")));
        assertTrue(MediaType.parse("multipart/related; type=\"image/x-jls\"").includes(MediaType.parse("multipart/related; type=\"image/jls\"")));
        assertFalse(MediaType.parse("image/x-jls").includes(MediaType.parse("image/dicom-rle")));
    }
}
