package dev.stratus.index.query;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.stratus.index.TestInstance.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QidoQueryParserTest {

    private static QidoQuery parse(String... pairs) {
        return parse(Level.STUDY, pairs);
    }

    private static QidoQuery parse(Level level, String... pairs) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) params.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
        return QidoQueryParser.parse(level, null, null, params);
    }

    private static Match only(String... pairs) {
        List<Match> m = parse(pairs).matches();
        assertEquals(1, m.size(), m.toString());
        return m.getFirst();
    }

    private static void rejects(String parameter, String... pairs) {
        InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> parse(pairs));
        assertEquals(parameter, e.parameter(), e.getMessage());
    }

    @Test
    void attributesByKeywordOrTag() {
        assertEquals(new Match.SingleValue(tag("PatientID"), "P1"), only("PatientID", "P1"));
        assertEquals(new Match.SingleValue(tag("PatientID"), "P1"), only("00100020", "P1"));
        rejects("NoSuchKeyword", "NoSuchKeyword", "x");
        rejects("0010002", "0010002", "x");
    }

    @Test
    void matchTypeFollowsValueAndVr() {
        assertEquals(new Match.Wildcard(tag("PatientName"), "Doe*"), only("PatientName", "Doe*"));
        assertEquals(new Match.Wildcard(tag("PatientName"), "D?e"), only("PatientName", "D?e"));
        assertEquals(new Match.AnyOf(tag("StudyInstanceUID"), List.of("1.2", "1.3")), only("StudyInstanceUID", "1.2\\1.3"));
        assertEquals(new Match.AnyOf(tag("StudyInstanceUID"), List.of("1.2", "1.3", "1.4")), only("StudyInstanceUID", "1.2,1.3\\1.4"),
                "a URL's UID list is comma-separated (PS3.18 8.3.4.1)");
        assertEquals(new Match.AnyOf(tag("SOPInstanceUID"), List.of("1.2", "1.3")), only("SOPInstanceUID", "1.2,1.3"));
        assertEquals(new Match.SingleValue(tag("StudyInstanceUID"), "1.2.840.10008"), only("StudyInstanceUID", "1.2.840.10008"));
        assertEquals(new Match.AnyOf(tag("ModalitiesInStudy"), List.of("CT", "MR")), only("ModalitiesInStudy", "CT\\MR"));
        assertEquals(new Match.Range(tag("StudyDate"), "20200101", "20201231"), only("StudyDate", "20200101-20201231"));
        assertEquals(new Match.Range(tag("StudyDate"), "20200101", null), only("StudyDate", "20200101-"));
        assertEquals(new Match.Range(tag("StudyDate"), null, "20201231"), only("StudyDate", "-20201231"));
        assertEquals(new Match.SingleValue(tag("StudyDate"), "20200101"), only("StudyDate", "20200101"));
        assertEquals(new Match.Range(tag("StudyTime"), "0800", "121530.5"), only("StudyTime", "0800-121530.5"));
        assertEquals(new Match.SingleValue(tag("StudyTime"), "10:30"), only("StudyTime", "10:30"));
        assertEquals(new Match.Range(tag("AcquisitionDateTime"), "20200101120000+0100", "2021"),
                only("AcquisitionDateTime", "20200101120000+0100-2021"));
        assertEquals(new Match.SingleValue(tag("AcquisitionDateTime"), "20200101120000-0500"),
                only("AcquisitionDateTime", "20200101120000-0500"));
        assertEquals(new Match.SingleValue(tag("SeriesNumber"), "3"), only("SeriesNumber", "3"));
        assertEquals(new Match.AnyOf(tag("InstanceNumber"), List.of("1", "2")), only("InstanceNumber", "1\\2"));
        assertEquals(new Match.SingleValue(tag("PatientComments"), "a\\b"), only("PatientComments", "a\\b"), "LT keeps backslashes");
    }

    @Test
    void emptyValueOrLoneStarIsUniversalMatching() {
        QidoQuery q = parse("PatientAge", "", "PatientName", "*", "RequestAttributesSequence", "");
        assertEquals(List.of(), q.matches());
        assertEquals(Set.of(tag("PatientAge"), tag("PatientName"), tag("RequestAttributesSequence")), q.includeFields());
    }

    @Test
    void malformedValuesNameTheParameter() {
        rejects("StudyDate", "StudyDate", "2020-01-01");
        rejects("StudyDate", "StudyDate", "20201301");
        rejects("StudyDate", "StudyDate", "2020*");
        rejects("StudyDate", "StudyDate", "-");
        rejects("StudyTime", "StudyTime", "2500");
        rejects("StudyInstanceUID", "StudyInstanceUID", "1.2.abc");
        rejects("StudyInstanceUID", "StudyInstanceUID", "1.2.*");
        rejects("StudyInstanceUID", "StudyInstanceUID", "1.02");
        rejects("SeriesNumber", "SeriesNumber", "one");
        rejects("SeriesNumber", "SeriesNumber", "1*");
        rejects("AcquisitionDateTime", "AcquisitionDateTime", "yesterday");
        rejects("RequestAttributesSequence", "RequestAttributesSequence", "x");
        rejects("PatientID", "PatientID", "a", "PatientID", "b");
    }

    @Test
    void controlParameters() {
        QidoQuery q = parse("limit", "25", "offset", "50", "fuzzymatching", "true", "includefield", "StudyDescription,00101010",
                "includefield", "PatientAge", "orderby", "-StudyDate,PatientName");
        assertEquals(25, q.limit());
        assertEquals(50, q.offset());
        assertTrue(q.fuzzyMatching());
        assertEquals(Set.of(tag("StudyDescription"), tag("PatientAge")), q.includeFields());
        assertFalse(q.includeAll());
        assertEquals(List.of(new OrderBy(tag("StudyDate"), true), new OrderBy(tag("PatientName"), false)), q.orderBy());
        assertTrue(parse("includefield", "all").includeAll());
        assertEquals(QidoQueryParser.NO_LIMIT, parse().limit());
        assertEquals(0, parse().offset());
        assertFalse(parse().fuzzyMatching());
        assertEquals(Set.of(tag("RequestAttributesSequence")), parse("includefield", "RequestAttributesSequence.RequestedProcedureID").includeFields());
    }

    @Test
    void malformedControlParametersNameTheParameter() {
        rejects("limit", "limit", "ten");
        rejects("limit", "limit", "0");
        rejects("offset", "offset", "-1");
        rejects("fuzzymatching", "fuzzymatching", "yes");
        rejects("includefield", "includefield", "NoSuchThing");
        rejects("orderby", "orderby", "-NoSuchThing");
        rejects("includefield", "includefield", "PatientName.PatientID");
    }

    @Test
    void contentNegotiationParametersAreNotMatchingKeys() {
        QidoQuery q = parse("accept", "application/dicom+json", "charset", "utf-8", "PatientID", "P1");
        assertEquals(1, q.matches().size());
        assertEquals(Set.of(), q.includeFields());
    }

    @Test
    void levelAndScopeAreKept() {
        QidoQuery q = QidoQueryParser.parse(Level.INSTANCE, "1.2", "1.2.3", Map.of("SOPClassUID", List.of("1.2.840.10008.5.1.4.1.1.2")));
        assertEquals(Level.INSTANCE, q.level());
        assertEquals("1.2", q.studyUid());
        assertEquals("1.2.3", q.seriesUid());
        assertEquals(new Match.SingleValue(tag("SOPClassUID"), "1.2.840.10008.5.1.4.1.1.2"), q.matches().getFirst());
    }
}
