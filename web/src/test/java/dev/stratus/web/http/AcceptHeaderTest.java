package dev.stratus.web.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AcceptHeaderTest {
    private static final MediaType DICOM_JSON = MediaType.APPLICATION_DICOM_JSON;
    private static final MediaType DICOM_XML = MediaType.APPLICATION_DICOM_XML;
    private static final MediaType MULTIPART_DICOM = MediaType.parse("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1");
    private static final MediaType MULTIPART_OCTETS = MediaType.parse("multipart/related; type=\"application/octet-stream\"");
    private static final MediaType MULTIPART_JLS = MediaType.parse("multipart/related; type=\"image/jls\"; transfer-syntax=1.2.840.10008.1.2.4.80");
    private static final MediaType MULTIPART_RLE = MediaType.parse("multipart/related; type=\"image/dicom-rle\"; transfer-syntax=1.2.840.10008.1.2.5");

    private static List<String> essences(AcceptHeader a) {
        return a.ranges().stream().map(r -> r.mediaType() + " q=" + r.q()).toList();
    }

    @Test
    void jsonOrMultipartOctetStream() {
        AcceptHeader a = AcceptHeader.parse("application/dicom+json, multipart/related; type=application/octet-stream");
        assertEquals(List.of("multipart/related; type=\"application/octet-stream\" q=1.0", "application/dicom+json q=1.0"), essences(a));
        assertEquals(Optional.of(DICOM_JSON), a.negotiate(DICOM_JSON, DICOM_XML));
        assertEquals(Optional.of(MULTIPART_OCTETS), a.negotiate(MULTIPART_DICOM, MULTIPART_OCTETS));
        assertEquals(Optional.empty(), a.negotiate(MULTIPART_DICOM, DICOM_XML));
    }

    /** Lines are kept once parsed: the same line answers the same again, and a malformed one is refused every time. */
    @Test
    void aLineParsedAgainGivesTheSameRangesAndAMalformedOneIsRefusedEachTime() {
        String line = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*;q=0.9, application/json";
        assertEquals(essences(AcceptHeader.parse(line)), essences(AcceptHeader.parse(line)));
        assertEquals(essences(AcceptHeader.parse(line)), essences(AcceptHeader.parse(List.of(line))));
        for (int i = 0; i < 2; i++) assertThrows(MalformedHeaderException.class, () -> AcceptHeader.parse("image/jpeg;q=2"));
        for (int i = 0; i < 400; i++) assertEquals(1, AcceptHeader.parse("image/x-test-" + i).ranges().size(), "past the kept lines too");
    }

    @Test
    void anythingTakesTheServersFirstOffer() {
        AcceptHeader a = AcceptHeader.parse("*/*");
        assertEquals(Optional.of(MULTIPART_DICOM), a.negotiate(MULTIPART_DICOM, DICOM_JSON));
        assertEquals(Optional.of(DICOM_JSON), a.negotiate(DICOM_JSON, MULTIPART_DICOM));
    }

    @Test
    void aNamedTypeBeatsAWildcardOfTheSameQ() {
        AcceptHeader a = AcceptHeader.parse("*/*, application/dicom+json");
        assertEquals(Optional.of(DICOM_JSON), a.negotiate(MULTIPART_DICOM, DICOM_JSON));
    }

    @Test
    void noOrBlankHeaderAcceptsAnything() {
        assertEquals(AcceptHeader.ANY.ranges(), AcceptHeader.parse((String) null).ranges());
        assertEquals(AcceptHeader.ANY.ranges(), AcceptHeader.parse(" , ").ranges());
        assertEquals(AcceptHeader.ANY.ranges(), AcceptHeader.parse(List.of()).ranges());
        assertEquals(Optional.of(DICOM_XML), AcceptHeader.parse("").negotiate(DICOM_XML));
    }

    @Test
    void dicomXml() {
        AcceptHeader a = AcceptHeader.parse("application/dicom+xml");
        assertEquals(Optional.empty(), a.negotiate(DICOM_JSON));
        assertEquals(Optional.of(DICOM_XML), a.negotiate(DICOM_JSON, DICOM_XML));
    }

    @Test
    void legacyTypesMatchAndComeBackAsTheClientNamedThem() {
        AcceptHeader rle = AcceptHeader.parse("image/x-dicom-rle");
        assertEquals(Optional.of(MediaType.parse("image/x-dicom-rle")), rle.negotiate(MediaType.parse("image/dicom-rle")));
        AcceptHeader jls = AcceptHeader.parse("multipart/related; type=\"image/x-jls\"");
        assertEquals(Optional.of(MediaType.parse("multipart/related; type=\"image/x-jls\"; transfer-syntax=1.2.840.10008.1.2.4.80")),
                jls.negotiate(MULTIPART_RLE, MULTIPART_JLS));
        assertEquals(Optional.of(MediaType.parse("multipart/related; type=\"image/x-dicom-rle\"; transfer-syntax=1.2.840.10008.1.2.5")),
                AcceptHeader.parse("multipart/related; type=image/x-dicom-rle").negotiate(MULTIPART_JLS, MULTIPART_RLE));
    }

    @Test
    void aRepeatedParameterAcceptsEachOfItsValues() {
        AcceptHeader a = AcceptHeader.parse("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50; transfer-syntax=1.2.840.10008.1.2.1");
        assertEquals(Optional.of(MULTIPART_DICOM), a.negotiate(MULTIPART_OCTETS, MULTIPART_DICOM));
        assertEquals(Optional.empty(), a.negotiate(MediaType.parse("multipart/related; type=application/dicom; transfer-syntax=1.2.840.10008.1.2.5")));
    }

    @Test
    void quotedParametersWithCommasStayInOneRange() {
        AcceptHeader a = AcceptHeader.parse("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1, "
                + "text/plain; note=\"a, b; c\"; q=0.2");
        assertEquals(List.of(MULTIPART_DICOM.toString() + " q=1.0", "text/plain; note=\"a, b; c\" q=0.2"), essences(a));
        assertEquals(Optional.of(MULTIPART_DICOM), a.negotiate(MULTIPART_OCTETS, MULTIPART_DICOM));
    }

    @Test
    void severalHeaderLinesFormOneList() {
        AcceptHeader a = AcceptHeader.parse(List.of("application/dicom+xml; q=0.5", "application/dicom+json, image/*;q=0.1"));
        assertEquals(List.of("application/dicom+json q=1.0", "application/dicom+xml q=0.5", "image/* q=0.1"), essences(a));
        assertEquals(Optional.of(DICOM_JSON), a.negotiate(DICOM_XML, DICOM_JSON));
    }

    @Test
    void rangesSortByQThenSpecificityThenHeaderOrder() {
        AcceptHeader a = AcceptHeader.parse("*/*;q=0.1, image/*;q=0.5, image/jpeg;q=0.5, text/html;level=1;q=0.5, image/png");
        assertEquals(List.of("image/png q=1.0", "text/html; level=1 q=0.5", "image/jpeg q=0.5", "image/* q=0.5", "*/* q=0.1"),
                essences(a));
    }

    @Test
    void theMostSpecificMatchingRangeGivesTheQ() {
        AcceptHeader a = AcceptHeader.parse("text/*;q=0.3, text/html;q=0.7, text/html;level=1, text/html;level=2;q=0.4, */*;q=0.5");
        assertEquals(1000, a.weight(MediaType.parse("text/html;level=1")));
        assertEquals(700, a.weight(MediaType.parse("text/html")));
        assertEquals(300, a.weight(MediaType.parse("text/plain")));
        assertEquals(500, a.weight(MediaType.parse("image/jpeg")));
        assertEquals(400, a.weight(MediaType.parse("text/html;level=2")));
        assertEquals(700, a.weight(MediaType.parse("text/html;level=3")));
    }

    @Test
    void higherQWinsOverServerOrder() {
        AcceptHeader a = AcceptHeader.parse("application/dicom+xml;q=0.9, application/dicom+json");
        assertEquals(Optional.of(DICOM_JSON), a.negotiate(DICOM_XML, DICOM_JSON));
    }

    @Test
    void qZeroExcludesEvenUnderAWildcard() {
        AcceptHeader a = AcceptHeader.parse("*/*, application/dicom+xml;q=0");
        assertFalse(a.accepts(DICOM_XML));
        assertTrue(a.accepts(DICOM_JSON));
        assertEquals(Optional.empty(), a.negotiate(DICOM_XML));
        assertEquals(Optional.of(DICOM_JSON), a.negotiate(DICOM_XML, DICOM_JSON));
    }

    @Test
    void qValuesParseToThousandths() {
        AcceptHeader a = AcceptHeader.parse("a/a;q=1.000, b/b;q=0.75, c/c;Q=0.001, d/d;q=0, e/e;q=1., f/f;q=0.5");
        assertEquals(List.of(1000, 1000, 750, 500, 1, 0), a.ranges().stream().map(AcceptHeader.Range::weight).toList());
    }

    @Test
    void invalidQValuesAreRejected() {
        assertBadQ("a/b;q=1.5", "malformed Accept header: q=1.5 of a/b is not a number from 0 to 1 with at most 3 decimals");
        assertBadQ("a/b;q=0.0001", "malformed Accept header: q=0.0001 of a/b is not a number from 0 to 1 with at most 3 decimals");
        assertBadQ("a/b;q=-1", "malformed Accept header: q=-1 of a/b is not a number from 0 to 1 with at most 3 decimals");
        assertBadQ("a/b;q=high", "malformed Accept header: q=high of a/b is not a number from 0 to 1 with at most 3 decimals");
        assertBadQ("a/b;q=.5", "malformed Accept header: q=.5 of a/b is not a number from 0 to 1 with at most 3 decimals");
        assertBadQ("a/b;q=0.5;q=1", "malformed Accept header 'a/b;q=0.5;q=1': q is given 2 times for a/b at position 13");
    }

    private static void assertBadQ(String header, String message) {
        assertEquals(message, assertThrows(MalformedHeaderException.class, () -> AcceptHeader.parse(header)).getMessage());
    }

    @Test
    void malformedRangesAreRejected() {
        MalformedHeaderException e = assertThrows(MalformedHeaderException.class, () -> AcceptHeader.parse("application/dicom+json, dicom"));
        assertEquals("malformed Accept header 'application/dicom+json, dicom': expected '/' after the type at position 29", e.getMessage());
    }

    @Test
    void wildcardTransferSyntaxTakesTheServersChoice() {
        AcceptHeader a = AcceptHeader.parse("multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals(Optional.of(MULTIPART_DICOM), a.negotiate(MULTIPART_DICOM));
    }

    @Test
    void anOfferedWildcardTransferSyntaxBecomesTheOneAskedFor() {
        MediaType asStored = MediaType.parse("multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        AcceptHeader a = AcceptHeader.parse("multipart/related; type=application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50");
        assertEquals(Optional.of(MediaType.parse("multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50")),
                a.negotiate(asStored));
    }

    @Test
    void theAcceptQueryParameterOverridesTheHeader() {
        AcceptHeader a = AcceptHeader.effective(List.of("application/dicom+xml"), List.of("application/dicom+json"));
        assertEquals(Optional.of(DICOM_XML), a.negotiate(DICOM_JSON, DICOM_XML));
        AcceptHeader headerOnly = AcceptHeader.effective(List.of(), List.of("application/dicom+json"));
        assertEquals(Optional.of(DICOM_JSON), headerOnly.negotiate(DICOM_XML, DICOM_JSON));
        AcceptHeader neither = AcceptHeader.effective(null, null);
        assertEquals(Optional.of(DICOM_XML), neither.negotiate(DICOM_XML, DICOM_JSON));
    }

    @Test
    void theAcceptQueryParameterTakesSeveralTypesAndRestoresAPlusDecodedAsSpace() {
        AcceptHeader a = AcceptHeader.effective(List.of("application/dicom json", "multipart/related; type=\"application/dicom\""), List.of("*/*"));
        assertEquals(List.of("multipart/related; type=\"application/dicom\" q=1.0", "application/dicom+json q=1.0"), essences(a));
        MalformedHeaderException e = assertThrows(MalformedHeaderException.class, () -> AcceptHeader.fromQuery(List.of("json")));
        assertEquals("malformed accept query parameter 'json': expected '/' after the type at position 4", e.getMessage());
    }
}
