package dev.stratus.dimse.service;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Element;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.Match;
import dev.stratus.index.query.QidoQuery;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** C-FIND identifiers become the QIDO-RS query model with the same match types (PS3.4 C.2.2.2). */
class FindQueryTest {
    static final int PATIENT_NAME = 0x00100010, STUDY_DATE = 0x00080020, MODALITY = 0x00080060, ROWS = 0x00280010;

    private static DataSet identifier(String level) {
        DataSet ds = new DataSet();
        ds.setString(FindQuery.QUERY_RETRIEVE_LEVEL, VR.CS, level);
        return ds;
    }

    @Test
    void matchTypesFollowValuesAndVrs() throws Exception {
        DataSet id = identifier("SERIES");
        id.setString(PATIENT_NAME, VR.PN, "Doe*");
        id.setString(STUDY_DATE, VR.DA, "20240101-20241231");
        id.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3", "1.2.4");
        id.setString(MODALITY, VR.CS, "CT");
        id.setString(Tag.SeriesInstanceUID, VR.UI, "");
        id.setInt(ROWS, VR.US, 512);
        QidoQuery q = FindQuery.parse(SopClass.STUDY_ROOT_QR_FIND, id).page(0, 10);
        assertEquals(Level.SERIES, q.level());
        assertTrue(q.matches().contains(new Match.Wildcard(PATIENT_NAME, "Doe*")));
        assertTrue(q.matches().contains(new Match.Range(STUDY_DATE, "20240101", "20241231")));
        assertTrue(q.matches().contains(new Match.AnyOf(Tag.StudyInstanceUID, List.of("1.2.3", "1.2.4"))));
        assertTrue(q.matches().contains(new Match.SingleValue(MODALITY, "CT")));
        assertTrue(q.matches().contains(new Match.SingleValue(ROWS, "512")));
        assertTrue(q.includeFields().contains(Tag.SeriesInstanceUID), "empty value: universal matching, returned");
        assertEquals(10, q.limit());
    }

    @Test
    void levelsAreCheckedAgainstTheModel() {
        assertThrows(FindFailure.class, () -> FindQuery.parse(SopClass.STUDY_ROOT_QR_FIND, identifier("PATIENT")));
        assertThrows(FindFailure.class, () -> FindQuery.parse(SopClass.PATIENT_ROOT_QR_FIND, identifier("WORKLIST")));
        assertThrows(FindFailure.class, () -> FindQuery.parse(SopClass.PATIENT_ROOT_QR_FIND, new DataSet()));
        DataSet badDate = identifier("STUDY");
        badDate.setString(STUDY_DATE, VR.DA, "yesterday");
        FindFailure f = assertThrows(FindFailure.class, () -> FindQuery.parse(SopClass.STUDY_ROOT_QR_FIND, badDate));
        assertEquals(0xA900, f.status);
        assertEquals(STUDY_DATE, f.offendingElement);
    }

    @Test
    void responseHoldsExactlyTheRequestedKeys() throws Exception {
        DataSet id = identifier("STUDY");
        id.setString(PATIENT_NAME, VR.PN, "");
        id.setString(STUDY_DATE, VR.DA, "");
        id.setString(FindQuery.RETRIEVE_AE_TITLE, VR.AE, "");
        DataSet match = new DataSet();
        match.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        match.setString(PATIENT_NAME, VR.PN, "Müller^Hans");
        match.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3");
        match.setString(MODALITY, VR.CS, "CT");
        DataSet rsp = FindQuery.parse(SopClass.STUDY_ROOT_QR_FIND, id).response(match, "STRATUS");
        List<Integer> tags = new ArrayList<>();
        for (Element e : rsp) tags.add(e.tag());
        assertEquals(List.of(Tag.SpecificCharacterSet, STUDY_DATE, FindQuery.QUERY_RETRIEVE_LEVEL, FindQuery.RETRIEVE_AE_TITLE,
                PATIENT_NAME, Tag.StudyInstanceUID), tags, "requested keys, the level's unique key, nothing else");
        assertEquals("Müller^Hans", rsp.getString(PATIENT_NAME));
        assertEquals(null, rsp.getString(STUDY_DATE));
        assertEquals("STRATUS", rsp.getString(FindQuery.RETRIEVE_AE_TITLE));
    }
}
