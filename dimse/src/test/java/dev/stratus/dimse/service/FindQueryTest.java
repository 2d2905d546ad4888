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
    private static DataSet identifier(String level) {
        DataSet ds = new DataSet();
        ds.setString(Tag.QueryRetrieveLevel, VR.CS, level);
        return ds;
    }

    @Test
    void matchTypesFollowValuesAndVrs() throws Exception {
        DataSet id = identifier("SERIES");
        id.setString(Tag.PatientName, VR.PN, "Doe*");
        id.setString(Tag.StudyDate, VR.DA, "20240101-20241231");
        id.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3", "1.2.4");
        id.setString(Tag.Modality, VR.CS, "CT");
        id.setString(Tag.SeriesInstanceUID, VR.UI, "");
        id.setInt(Tag.Rows, VR.US, 512);
        QidoQuery q = FindQuery.parse(SopClass.STUDY_ROOT_QR_FIND, id).page(0, 10);
        assertEquals(Level.SERIES, q.level());
        assertTrue(q.matches().contains(new Match.Wildcard(Tag.PatientName, "Doe*")));
        assertTrue(q.matches().contains(new Match.Range(Tag.StudyDate, "20240101", "20241231")));
        assertTrue(q.matches().contains(new Match.AnyOf(Tag.StudyInstanceUID, List.of("1.2.3", "1.2.4"))));
        assertTrue(q.matches().contains(new Match.SingleValue(Tag.Modality, "CT")));
        assertTrue(q.matches().contains(new Match.SingleValue(Tag.Rows, "512")));
        assertTrue(q.includeFields().contains(Tag.SeriesInstanceUID), "empty value: universal matching, returned");
        assertEquals(10, q.limit());
    }

    @Test
    void levelsAreCheckedAgainstTheModel() {
        assertThrows(FindFailure.class, () -> FindQuery.parse(SopClass.STUDY_ROOT_QR_FIND, identifier("PATIENT")));
        assertThrows(FindFailure.class, () -> FindQuery.parse(SopClass.PATIENT_ROOT_QR_FIND, identifier("WORKLIST")));
        assertThrows(FindFailure.class, () -> FindQuery.parse(SopClass.PATIENT_ROOT_QR_FIND, new DataSet()));
        DataSet badDate = identifier("STUDY");
        badDate.setString(Tag.StudyDate, VR.DA, "yesterday");
        FindFailure f = assertThrows(FindFailure.class, () -> FindQuery.parse(SopClass.STUDY_ROOT_QR_FIND, badDate));
        assertEquals(0xA900, f.status);
        assertEquals(Tag.StudyDate, f.offendingElement);
    }

    @Test
    void responseHoldsExactlyTheRequestedKeys() throws Exception {
        DataSet id = identifier("STUDY");
        id.setString(Tag.PatientName, VR.PN, "");
        id.setString(Tag.StudyDate, VR.DA, "");
        id.setString(Tag.RetrieveAETitle, VR.AE, "");
        DataSet match = new DataSet();
        match.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        match.setString(Tag.PatientName, VR.PN, "Müller^Hans");
        match.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3");
        match.setString(Tag.Modality, VR.CS, "CT");
        DataSet rsp = FindQuery.parse(SopClass.STUDY_ROOT_QR_FIND, id).response(match, "STRATUS");
        List<Integer> tags = new ArrayList<>();
        for (Element e : rsp) tags.add(e.tag());
        assertEquals(List.of(Tag.SpecificCharacterSet, Tag.StudyDate, Tag.QueryRetrieveLevel, Tag.RetrieveAETitle,
                Tag.PatientName, Tag.StudyInstanceUID), tags, "requested keys, the level's unique key, nothing else");
        assertEquals("Müller^Hans", rsp.getString(Tag.PatientName));
        assertEquals(null, rsp.getString(Tag.StudyDate));
        assertEquals("STRATUS", rsp.getString(Tag.RetrieveAETitle));
    }
}
