package dev.stratus.index;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.QidoQueryParser;
import dev.stratus.index.query.QueryResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.stratus.index.TestInstance.tag;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every Index implementation must do, run against each backend by a subclass that opens a fresh,
 * empty index per test.
 */
public abstract class IndexContractTest {
    protected static final TenantId T1 = new TenantId("t1");
    protected static final TenantId T2 = new TenantId("t2");

    protected Index index;

    /** A new index on an empty database of its own. */
    protected abstract Index openFreshIndex() throws Exception;

    /** The database of the last openFreshIndex, opened again (schema in place) with the event outbox on or off. */
    protected abstract Index reopen(boolean outbox) throws Exception;

    /** Whether a store that fails writes nothing at all (SQL: one transaction); MongoDB keeps what it wrote before the failure. */
    protected boolean storesAreTransactions() { return true; }

    /** Removes what openFreshIndex created (after the index is closed). */
    protected void dropFreshIndex() throws Exception {}

    @BeforeEach
    void openIndex() throws Exception {
        index = openFreshIndex();
    }

    @AfterEach
    void closeIndex() throws Exception {
        if (index != null) index.close();
        dropFreshIndex();
    }

    // ---- helpers

    protected static TestInstance inst(TenantId t, String study, String series, String sop) {
        return TestInstance.of(t, study, series, sop);
    }

    protected StoreResult store(TestInstance... instances) {
        return index.store(Arrays.stream(instances).map(TestInstance::build).toList());
    }

    @Test
    void aBatchWhoseBlobsCannotBeMadeDurableIsNotCommitted() throws Exception {
        List<InstanceRecord> batch = List.of(inst(T1, "9.1", "9.1.1", "9.1.1.1").build(), inst(T1, "9.1", "9.1.1", "9.1.1.2").build());
        java.io.IOException thrown = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> index.store(batch, () -> { throw new java.io.IOException("blob not forced"); }));
        assertEquals("blob not forced", thrown.getMessage());
        assertEquals(List.of(), index.listInstances(T1, "9.1", null));
        // The same batch once its blobs are durable: stored, counted, as a first store would be.
        index.store(batch, () -> { });
        assertEquals(2, index.listInstances(T1, "9.1", "9.1.1").size());
    }

    /** Searches with QIDO-RS parameters given as name, value pairs. */
    protected QueryResult search(Level level, String study, String series, String... params) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) map.computeIfAbsent(params[i], k -> new ArrayList<>()).add(params[i + 1]);
        return index.search(T1, QidoQueryParser.parse(level, study, series, map));
    }

    protected static List<String> values(QueryResult r, String keyword) {
        return r.matches().stream().map(ds -> ds.getString(tag(keyword))).toList();
    }

    protected List<String> studies(String... params) {
        return values(search(Level.STUDY, null, null, params), "StudyInstanceUID");
    }

    protected static SeriesRef ref(TenantId t, String study, String series) {
        return new SeriesRef(t, study, series);
    }

    protected SeriesState state(TenantId t, String study, String series) {
        return index.seriesState(ref(t, study, series)).orElseThrow();
    }

    private static long now() {
        return System.currentTimeMillis() * 1000 + 60_000_000; // a minute ahead: every stored series is quiet by then
    }

    /** Three studies of two patients: CT+MR, CT, and an SR study. */
    protected void storeThreeStudies() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1").patient("Doe^John", "P1").studyDate("20200101").str("StudyTime", VR.TM, "101500")
                        .str("AccessionNumber", VR.SH, "A1").str("StudyDescription", VR.LO, "Chest").seriesNumber(1).instanceNumber(1)
                        .str("SeriesDescription", VR.LO, "Axial").str("PerformedProcedureStepStartDate", VR.DA, "20200101"),
                inst(T1, "1.1", "1.1.1", "1.1.1.2").patient("Doe^John", "P1").studyDate("20200101").str("StudyTime", VR.TM, "101500")
                        .str("AccessionNumber", VR.SH, "A1").str("StudyDescription", VR.LO, "Chest").seriesNumber(1).instanceNumber(2)
                        .str("SeriesDescription", VR.LO, "Axial").str("PerformedProcedureStepStartDate", VR.DA, "20200101"),
                inst(T1, "1.1", "1.1.2", "1.1.2.1").patient("Doe^John", "P1").studyDate("20200101").str("StudyTime", VR.TM, "101500")
                        .str("AccessionNumber", VR.SH, "A1").str("StudyDescription", VR.LO, "Chest").modality("MR").sopClass(TestInstance.MR_IMAGE)
                        .seriesNumber(2).instanceNumber(1).str("SeriesDescription", VR.LO, "Sagittal"));
        store(inst(T1, "1.2", "1.2.1", "1.2.1.1").patient("Roe^Jane", "P2").studyDate("20210615").str("StudyTime", VR.TM, "083000")
                .str("AccessionNumber", VR.SH, "A2").seriesNumber(1).instanceNumber(1).str("ReferringPhysicianName", VR.PN, "Welby^Marcus"));
        store(inst(T1, "1.3", "1.3.1", "1.3.1.1").patient("Doe^John", "P1").studyDate("20221231").str("StudyTime", VR.TM, "235959")
                .str("AccessionNumber", VR.SH, "A3").modality("SR").sopClass(TestInstance.SR_DOCUMENT).seriesNumber(5).instanceNumber(1));
    }

    // ---- store, find, list

    @Test
    void storedInstancesAreFoundAndListed() {
        StoreResult r = store(inst(T1, "1.1", "1.1.1", "1.1.1.2").seriesNumber(1).instanceNumber(2),
                inst(T1, "1.1", "1.1.1", "1.1.1.1").seriesNumber(1).instanceNumber(1),
                inst(T1, "1.1", "1.1.2", "1.1.2.1").seriesNumber(2).instanceNumber(1));
        assertEquals(List.of(), r.conflicts());
        assertEquals(List.of(), r.replacedBlobKeys());

        StoredInstance found = index.findInstance(T1, "1.1", "1.1.1", "1.1.1.2").orElseThrow();
        assertEquals(new StoredInstance(T1, "1.1", "1.1.1", "1.1.1.2", TestInstance.CT_IMAGE, TestInstance.EXPLICIT_LE,
                "t1/1.1.1.2", 1000, 2), found);
        assertTrue(index.findInstance(T1, null, null, "1.1.1.2").isPresent(), "by SOP Instance UID alone");
        assertTrue(index.findInstance(T1, "1.1", "1.1.2", "1.1.1.2").isEmpty(), "wrong series");
        assertTrue(index.findInstance(T1, "9.9", null, "1.1.1.2").isEmpty(), "wrong study");

        assertEquals(List.of("1.1.1.1", "1.1.1.2", "1.1.2.1"),
                index.listInstances(T1, "1.1", null).stream().map(StoredInstance::sopInstanceUid).toList());
        assertEquals(List.of("1.1.2.1"), index.listInstances(T1, "1.1", "1.1.2").stream().map(StoredInstance::sopInstanceUid).toList());
        assertEquals(List.of(), index.listInstances(T1, "9.9", null));
        assertEquals(2, state(T1, "1.1", "1.1.1").instanceCount());
    }

    @Test
    void listsInstancesBySeriesNumberThenInstanceNumber() {
        store(inst(T1, "1.1", "1.1.9", "1.1.9.1").seriesNumber(1).instanceNumber(3),
                inst(T1, "1.1", "1.1.9", "1.1.9.2").seriesNumber(1).instanceNumber(1),
                inst(T1, "1.1", "1.1.1", "1.1.1.1").seriesNumber(2).instanceNumber(1),
                inst(T1, "1.1", "1.1.9", "1.1.9.3").seriesNumber(1).remove("InstanceNumber"));
        assertEquals(List.of("1.1.9.2", "1.1.9.1", "1.1.9.3", "1.1.1.1"),
                index.listInstances(T1, "1.1", null).stream().map(StoredInstance::sopInstanceUid).toList());
    }

    @Test
    void storingTheSameBatchAgainChangesNothingButTime() {
        TestInstance a = inst(T1, "1.1", "1.1.1", "1.1.1.1"), b = inst(T1, "1.1", "1.1.1", "1.1.1.2");
        store(a, b);
        long t1 = state(T1, "1.1", "1.1.1").updatedTime();
        StoreResult again = store(a, b);
        assertEquals(List.of(), again.replacedBlobKeys(), "same blob keys: nothing to delete");
        assertEquals(List.of(), again.conflicts());
        SeriesState s = state(T1, "1.1", "1.1.1");
        assertEquals(2, s.instanceCount());
        assertTrue(s.updatedTime() > t1);
        DataSet study = search(Level.STUDY, null, null).matches().getFirst();
        assertEquals("1", study.getString(tag("NumberOfStudyRelatedSeries")));
        assertEquals("2", study.getString(tag("NumberOfStudyRelatedInstances")));
    }

    @Test
    void storingAnInstanceAgainReplacesItAndReturnsTheOldBlobKey() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1").instanceNumber(1).blobKey("old"));
        StoreResult r = store(inst(T1, "1.1", "1.1.1", "1.1.1.1").instanceNumber(7).blobKey("new"));
        assertEquals(List.of("old"), r.replacedBlobKeys());
        StoredInstance s = index.findInstance(T1, "1.1", "1.1.1", "1.1.1.1").orElseThrow();
        assertEquals("new", s.blobKey());
        assertEquals(7, s.instanceNumber());
        assertEquals(1, state(T1, "1.1", "1.1.1").instanceCount());
    }

    @Test
    void oneStoreMixingNewReplacedRepeatedAndConflictingInstancesAnswersForEach() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1").blobKey("k1"), inst(T1, "1.1", "1.1.1", "1.1.1.2").blobKey("k2"),
                inst(T1, "1.1", "1.1.9", "1.1.9.1").blobKey("k9"));
        StoreResult r = store(
                inst(T1, "1.1", "1.1.1", "1.1.1.1").blobKey("k1b").instanceNumber(11), // replaced: new key
                inst(T1, "1.1", "1.1.1", "1.1.1.2").blobKey("k2"),                    // stored again under its key
                inst(T1, "1.1", "1.1.1", "1.1.9.1").blobKey("k9b"),                   // stored in another series
                inst(T1, "1.1", "1.1.1", "1.1.1.3").blobKey("k3").instanceNumber(3),  // new, and sent twice:
                inst(T1, "1.1", "1.1.1", "1.1.1.3").blobKey("k3b").instanceNumber(33)); // the later one wins
        assertEquals(List.of("1.1.9.1"), r.conflicts().stream().map(StoreResult.Conflict::sopInstanceUid).toList());
        assertEquals(Set.of("k1", "k3"), Set.copyOf(r.replacedBlobKeys()));
        assertEquals("k1b", index.findInstance(T1, null, null, "1.1.1.1").orElseThrow().blobKey());
        assertEquals(11, index.findInstance(T1, null, null, "1.1.1.1").orElseThrow().instanceNumber());
        assertEquals("k2", index.findInstance(T1, null, null, "1.1.1.2").orElseThrow().blobKey());
        assertEquals("1.1.9", index.findInstance(T1, null, null, "1.1.9.1").orElseThrow().seriesUid());
        assertEquals("k3b", index.findInstance(T1, null, null, "1.1.1.3").orElseThrow().blobKey());
        assertEquals(33, index.findInstance(T1, null, null, "1.1.1.3").orElseThrow().instanceNumber());
        assertEquals(3, state(T1, "1.1", "1.1.1").instanceCount());
        assertEquals("4", search(Level.STUDY, null, null).matches().getFirst().getString(tag("NumberOfStudyRelatedInstances")));
    }

    @Test
    void aStoreOfMoreInstancesThanOneStatementListsIsCompleteAndRecognizedOnTheNextStore() {
        TestInstance[] many = new TestInstance[1_234];
        for (int i = 0; i < many.length; i++) many[i] = inst(T1, "1.1", "1.1.1", "1.1.1." + (i + 1)).instanceNumber(i + 1).blobKey("a" + i);
        assertEquals(List.of(), store(many).conflicts());
        assertEquals(many.length, state(T1, "1.1", "1.1.1").instanceCount());
        for (int i = 0; i < many.length; i++) many[i].blobKey("b" + i);
        StoreResult again = store(many);
        assertEquals(List.of(), again.conflicts());
        assertEquals(many.length, again.replacedBlobKeys().size(), "every instance was found stored, in every statement's list");
        assertEquals("b1233", index.findInstance(T1, null, null, "1.1.1.1234").orElseThrow().blobKey());
        assertEquals(many.length, state(T1, "1.1", "1.1.1").instanceCount());
    }

    @Test
    void anInstanceStoredInAnotherSeriesOrStudyIsAConflict() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"));
        StoreResult r = store(inst(T1, "1.1", "1.1.2", "1.1.1.1"), inst(T1, "2.2", "2.2.1", "1.1.1.1"),
                inst(T1, "1.1", "1.1.2", "1.1.2.1"));
        assertEquals(List.of("1.1.1.1", "1.1.1.1"), r.conflicts().stream().map(StoreResult.Conflict::sopInstanceUid).toList());
        assertTrue(r.conflicts().getFirst().reason().contains("1.1.1"), r.conflicts().getFirst().reason());
        assertEquals("1.1.1", index.findInstance(T1, null, null, "1.1.1.1").orElseThrow().seriesUid());
        assertEquals(1, state(T1, "1.1", "1.1.2").instanceCount(), "the rest of the batch is stored");
        assertTrue(index.seriesState(ref(T1, "2.2", "2.2.1")).isEmpty(), "no empty series left behind");
        assertEquals(List.of("1.1"), studies());
    }

    @Test
    void aSeriesOfAnotherStudyIsAConflict() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"));
        StoreResult r = store(inst(T1, "2.2", "1.1.1", "1.1.1.2"));
        assertEquals(1, r.conflicts().size());
        assertTrue(index.findInstance(T1, null, null, "1.1.1.2").isEmpty());
        assertEquals(List.of("1.1"), studies());
    }

    @Test
    void studyAttributesComeFromTheNewestInstance() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1").patient("Old^Name", "P1"));
        store(inst(T1, "1.1", "1.1.2", "1.1.2.1").patient("New^Name", "P9").str("StudyDescription", VR.LO, "Updated"));
        DataSet study = search(Level.STUDY, null, null, "includefield", "StudyDescription").matches().getFirst();
        assertEquals("New^Name", study.getString(tag("PatientName")));
        assertEquals("P9", study.getString(tag("PatientID")));
        assertEquals("Updated", study.getString(tag("StudyDescription")));
        assertEquals(List.of(), studies("PatientName", "Old^Name"));
        assertEquals(List.of("1.1"), studies("PatientName", "new^name"));
    }

    // ---- matching, study level

    @Test
    void studyLevelSingleValueMatching() {
        storeThreeStudies();
        assertEquals(List.of("1.3", "1.1"), studies("PatientID", "P1"));
        assertEquals(List.of("1.3", "1.1"), studies("00100020", "P1"));
        assertEquals(List.of("1.2"), studies("PatientName", "ROE^JANE"), "PN is case-insensitive");
        assertEquals(List.of("1.2"), studies("AccessionNumber", "A2"));
        assertEquals(List.of(), studies("AccessionNumber", "a2"), "other strings are case-sensitive");
        assertEquals(List.of("1.1"), studies("StudyInstanceUID", "1.1"));
        assertEquals(List.of("1.1"), studies("StudyDate", "20200101"));
        assertEquals(List.of("1.2"), studies("ReferringPhysicianName", "welby^marcus"));
        assertEquals(List.of("1.1"), studies("StudyDescription", "Chest"));
    }

    @Test
    void studyLevelWildcardListAndRangeMatching() {
        storeThreeStudies();
        assertEquals(List.of("1.3", "1.1"), studies("PatientName", "doe*"));
        assertEquals(List.of("1.3", "1.2", "1.1"), studies("PatientName", "?oe^*"));
        assertEquals(List.of("1.2"), studies("PatientName", "*jan?"));
        assertEquals(List.of("1.3", "1.2", "1.1"), studies("PatientID", "*"), "a lone * is universal matching");
        assertEquals(List.of("1.3", "1.1"), studies("StudyInstanceUID", "1.1\\1.3\\9.9"));
        assertEquals(List.of("1.2", "1.1"), studies("StudyDate", "20200101-20211231"));
        assertEquals(List.of("1.3", "1.2"), studies("StudyDate", "20210101-"));
        assertEquals(List.of("1.1"), studies("StudyDate", "-20201231"));
        assertEquals(List.of("1.1"), studies("StudyTime", "1000-1015"), "10:15:00 is within a range ending 1015");
        assertEquals(List.of("1.2"), studies("StudyTime", "-0900"));
        assertEquals(List.of("1.3", "1.1"), studies("AccessionNumber", "A1\\A3"));
        assertEquals(List.of("1.2", "1.1"), studies("ModalitiesInStudy", "CT"));
        assertEquals(List.of("1.1"), studies("ModalitiesInStudy", "MR"));
        assertEquals(List.of("1.3", "1.1"), studies("ModalitiesInStudy", "MR\\SR"));
        assertEquals(List.of("1.3"), studies("ModalitiesInStudy", "S*"));
        assertEquals(List.of("1.1"), studies("PatientID", "P1", "ModalitiesInStudy", "CT"), "keys combine with AND");
    }

    @Test
    void studiesByModalityFollowAStudysNewDateAndModalities() {
        storeThreeStudies();
        assertEquals(List.of("1.2", "1.1"), studies("ModalitiesInStudy", "CT"));
        store(inst(T1, "1.1", "1.1.3", "1.1.3.1").patient("Doe^John", "P1").studyDate("20230101").seriesNumber(3).instanceNumber(1));
        assertEquals(List.of("1.1", "1.2"), studies("ModalitiesInStudy", "CT"), "the study's new date orders it");
        assertEquals(List.of("1.1"), studies("ModalitiesInStudy", "MR"));
        store(inst(T1, "1.3", "1.3.1", "1.3.1.1").patient("Doe^John", "P1").studyDate("20221231").str("StudyTime", VR.TM, "235959")
                .str("AccessionNumber", VR.SH, "A3").sopClass(TestInstance.SR_DOCUMENT).seriesNumber(5).instanceNumber(1));
        assertEquals(List.of(), studies("ModalitiesInStudy", "SR"), "the series is CT now");
        store(inst(T1, "1.4", "1.4.1", "1.4.1.1").patient("Poe^Edgar", "P4").remove("StudyDate").seriesNumber(1).instanceNumber(1));
        assertEquals(List.of("1.1", "1.3", "1.2", "1.4"), studies("ModalitiesInStudy", "CT"), "no date: last");
        assertEquals(List.of("1.3", "1.2"), studies("ModalitiesInStudy", "CT", "limit", "2", "offset", "1"));
        assertEquals(List.of("1.3"), studies("ModalitiesInStudy", "CT", "AccessionNumber", "A3"));
        index.delete(T1, "1.1", "1.1.2", null);
        assertEquals(List.of(), studies("ModalitiesInStudy", "MR"));
        index.delete(T1, "1.1", null, null);
        assertEquals(List.of("1.3", "1.2", "1.4"), studies("ModalitiesInStudy", "CT"));
    }

    @Test
    void attributesThatAreNotIndexedAreIgnoredAndReported() {
        storeThreeStudies();
        QueryResult r = search(Level.STUDY, null, null, "PatientAge", "030Y", "PatientID", "P2");
        assertEquals(List.of(tag("PatientAge")), r.ignoredAttributes());
        assertEquals(List.of("1.2"), values(r, "StudyInstanceUID"));
        QueryResult belowLevel = search(Level.STUDY, null, null, "SOPInstanceUID", "1.1.1.1");
        assertEquals(List.of(Tag.SOPInstanceUID), belowLevel.ignoredAttributes());
        assertEquals(3, belowLevel.matches().size());
    }

    @Test
    void fuzzyMatchingIgnoresAccentsAndCaseAndMatchesComponentPrefixes() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1").charset("ISO_IR 100").patient("Müller^Jürgen", "P1"),
                inst(T1, "2.2", "2.2.1", "2.2.1.1").patient("Mueller^Hans", "P2"),
                inst(T1, "3.3", "3.3.1", "3.3.1.1").charset("ISO_IR 192").patient("Ødegård^Åse", "P3"));
        assertEquals(List.of("1.1"), studies("PatientName", "muller", "fuzzymatching", "true"));
        assertEquals(List.of("1.1"), studies("PatientName", "jur", "fuzzymatching", "true"));
        assertEquals(List.of("1.1"), studies("PatientName", "MÜLLER^jürg", "fuzzymatching", "true"));
        assertEquals(List.of("2.2"), studies("PatientName", "mue", "fuzzymatching", "true"));
        assertEquals(List.of("1.1", "2.2"), studies("PatientName", "m", "fuzzymatching", "true"));
        assertEquals(List.of("3.3"), studies("PatientName", "odegard ase", "fuzzymatching", "true"));
        assertEquals(List.of(), studies("PatientName", "muller^hans", "fuzzymatching", "true"));
        assertEquals(List.of(), studies("PatientName", "muller"), "without fuzzy matching: exact, only case ignored");
        assertEquals(List.of("1.1"), studies("PatientName", "müller^jürgen"));
        DataSet study = search(Level.STUDY, null, null, "PatientID", "P1").matches().getFirst();
        assertEquals("Müller^Jürgen", study.getString(tag("PatientName")), "Latin-1 header comes back readable");
    }

    // ---- matching, series and instance level

    @Test
    void seriesLevelMatching() {
        storeThreeStudies();
        assertEquals(List.of("1.1.1", "1.1.2"), values(search(Level.SERIES, "1.1", null), "SeriesInstanceUID"));
        assertEquals(List.of("1.1.2"), values(search(Level.SERIES, "1.1", null, "Modality", "MR"), "SeriesInstanceUID"));
        assertEquals(List.of("1.1.1", "1.1.2"), values(search(Level.SERIES, "1.1", null, "Modality", "CT\\MR"), "SeriesInstanceUID"));
        assertEquals(List.of("1.1.2"), values(search(Level.SERIES, "1.1", null, "SeriesNumber", "2"), "SeriesInstanceUID"));
        assertEquals(List.of("1.1.2"), values(search(Level.SERIES, null, null, "SeriesInstanceUID", "1.1.2"), "SeriesInstanceUID"));
        assertEquals(List.of("1.1.1"), values(search(Level.SERIES, null, null, "SeriesDescription", "Ax*"), "SeriesInstanceUID"));
        assertEquals(List.of("1.1.1"), values(search(Level.SERIES, null, null, "PerformedProcedureStepStartDate", "20191231-20200102"), "SeriesInstanceUID"));
        // across studies, study attributes match too; newest study first, then series number
        assertEquals(List.of("1.3.1", "1.1.1", "1.1.2"), values(search(Level.SERIES, null, null, "PatientID", "P1"), "SeriesInstanceUID"));
        assertEquals(List.of("1.2.1", "1.1.1"), values(search(Level.SERIES, null, null, "Modality", "CT"), "SeriesInstanceUID"));
        assertEquals(List.of("1.1.1"), values(search(Level.SERIES, null, null, "Modality", "CT", "StudyDate", "-20201231"), "SeriesInstanceUID"));
        assertEquals(List.of(), values(search(Level.SERIES, "1.2", null, "Modality", "MR"), "SeriesInstanceUID"));
    }

    @Test
    void instanceLevelMatching() {
        storeThreeStudies();
        assertEquals(List.of("1.1.1.1", "1.1.1.2"), values(search(Level.INSTANCE, "1.1", "1.1.1"), "SOPInstanceUID"));
        assertEquals(List.of("1.1.1.1", "1.1.1.2", "1.1.2.1"), values(search(Level.INSTANCE, "1.1", null), "SOPInstanceUID"));
        assertEquals(List.of("1.1.1.2"), values(search(Level.INSTANCE, "1.1", "1.1.1", "InstanceNumber", "2"), "SOPInstanceUID"));
        assertEquals(List.of("1.1.2.1"), values(search(Level.INSTANCE, null, null, "SOPClassUID", TestInstance.MR_IMAGE), "SOPInstanceUID"));
        assertEquals(List.of("1.2.1.1", "1.1.1.2"),
                values(search(Level.INSTANCE, null, null, "SOPInstanceUID", "1.1.1.2\\1.2.1.1"), "SOPInstanceUID"));
        assertEquals(List.of("1.3.1.1"), values(search(Level.INSTANCE, null, null, "StudyDate", "20220101-", "Modality", "SR"), "SOPInstanceUID"));
        assertEquals(List.of("1.2.1.1"), values(search(Level.INSTANCE, null, null, "PatientName", "roe*"), "SOPInstanceUID"));
    }

    // ---- returned attributes

    @Test
    void studyResultsCarryTheDefaultAndComputedAttributes() {
        storeThreeStudies();
        DataSet s = search(Level.STUDY, null, null, "StudyInstanceUID", "1.1").matches().getFirst();
        assertArrayEquals(new String[] {"CT", "MR"}, s.getStrings(tag("ModalitiesInStudy")));
        assertArrayEquals(new String[] {TestInstance.CT_IMAGE, TestInstance.MR_IMAGE}, s.getStrings(tag("SOPClassesInStudy")));
        assertEquals("2", s.getString(tag("NumberOfStudyRelatedSeries")));
        assertEquals("3", s.getString(tag("NumberOfStudyRelatedInstances")));
        assertEquals("Doe^John", s.getString(tag("PatientName")));
        assertEquals("20200101", s.getString(tag("StudyDate")));
        assertEquals("101500", s.getString(tag("StudyTime")));
        assertEquals("A1", s.getString(tag("AccessionNumber")));
        assertEquals("ONLINE", s.getString(tag("InstanceAvailability")));
        assertTrue(s.contains(tag("PatientBirthDate")), "Type R attributes are returned, empty when unknown");
        assertTrue(s.contains(tag("ReferringPhysicianName")));
        assertFalse(s.contains(tag("StudyDescription")), "not a default");
        assertFalse(s.contains(tag("Modality")), "series attributes are not study results");
        assertFalse(s.contains(tag("RetrieveURL")), "the web layer adds it");
        assertNull(s.getString(tag("SeriesInstanceUID")));
    }

    @Test
    void seriesAndInstanceResultsCarryTheirCountsAndParents() {
        storeThreeStudies();
        DataSet series = search(Level.SERIES, "1.1", null, "SeriesNumber", "1").matches().getFirst();
        assertEquals("1.1", series.getString(Tag.StudyInstanceUID));
        assertEquals("1.1.1", series.getString(Tag.SeriesInstanceUID));
        assertEquals("2", series.getString(tag("NumberOfSeriesRelatedInstances")));
        assertEquals("CT", series.getString(tag("Modality")));
        assertEquals("Axial", series.getString(tag("SeriesDescription")));
        assertFalse(series.contains(tag("PatientName")), "study fixed by the URL: its attributes are not repeated");
        assertFalse(series.contains(tag("InstanceNumber")), "instance attributes are never series results");

        DataSet allSeries = search(Level.SERIES, null, null, "SeriesInstanceUID", "1.1.1").matches().getFirst();
        assertEquals("Doe^John", allSeries.getString(tag("PatientName")), "all-series results include the study's attributes");
        assertEquals("3", allSeries.getString(tag("NumberOfStudyRelatedInstances")));

        DataSet instance = search(Level.INSTANCE, "1.1", "1.1.1", "InstanceNumber", "2").matches().getFirst();
        assertEquals("1.1", instance.getString(Tag.StudyInstanceUID));
        assertEquals("1.1.1", instance.getString(Tag.SeriesInstanceUID));
        assertEquals("1.1.1.2", instance.getString(Tag.SOPInstanceUID));
        assertEquals(TestInstance.CT_IMAGE, instance.getString(Tag.SOPClassUID));
        assertEquals("2", instance.getString(tag("InstanceNumber")));
        assertFalse(instance.contains(tag("Modality")));

        DataSet allInstances = search(Level.INSTANCE, null, null, "SOPInstanceUID", "1.1.2.1").matches().getFirst();
        assertEquals("MR", allInstances.getString(tag("Modality")));
        assertEquals("P1", allInstances.getString(tag("PatientID")));
    }

    @Test
    void includefieldAddsAttributesAndAllReturnsEverythingOfTheLevel() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1").str("StudyDescription", VR.LO, "Head").str("BodyPartExamined", VR.CS, "HEAD")
                .str("PatientAge", VR.AS, "042Y").rows(512).str("ImageType", VR.CS, "ORIGINAL", "PRIMARY"));
        DataSet s = search(Level.STUDY, null, null, "includefield", "StudyDescription,00101010", "includefield", "BodyPartExamined")
                .matches().getFirst();
        assertEquals("Head", s.getString(tag("StudyDescription")));
        assertEquals("042Y", s.getString(tag("PatientAge")));
        assertFalse(s.contains(tag("BodyPartExamined")), "series attributes are not returned at study level");
        DataSet universal = search(Level.STUDY, null, null, "PatientWeight", "").matches().getFirst();
        assertTrue(universal.contains(tag("PatientWeight")), "universal matching returns the attribute, empty if unknown");

        DataSet all = search(Level.INSTANCE, "1.1", "1.1.1", "includefield", "all").matches().getFirst();
        assertArrayEquals(new String[] {"ORIGINAL", "PRIMARY"}, all.getStrings(tag("ImageType")));
        assertEquals(512, all.getInt(Tag.Rows, 0));
        DataSet series = search(Level.SERIES, "1.1", null, "includefield", "all").matches().getFirst();
        assertEquals("HEAD", series.getString(tag("BodyPartExamined")));
        assertFalse(series.contains(tag("ImageType")));
    }

    // ---- limit, offset, orderby

    @Test
    void limitOffsetAndOrderBy() {
        for (int i = 1; i <= 5; i++) {
            store(inst(T1, "1." + i, "1." + i + ".1", "1." + i + ".1.1").patient("Name" + (6 - i) + "^X", "P" + i)
                    .studyDate("2020010" + i));
        }
        assertEquals(List.of("1.5", "1.4", "1.3", "1.2", "1.1"), studies(), "default: newest study first");
        QueryResult page = search(Level.STUDY, null, null, "limit", "2", "offset", "1");
        assertEquals(List.of("1.4", "1.3"), values(page, "StudyInstanceUID"));
        assertTrue(page.moreAvailable());
        QueryResult last = search(Level.STUDY, null, null, "limit", "2", "offset", "3");
        assertEquals(List.of("1.2", "1.1"), values(last, "StudyInstanceUID"));
        assertFalse(last.moreAvailable());
        assertEquals(List.of(), studies("offset", "10"));
        assertEquals(List.of("1.5", "1.4", "1.3", "1.2", "1.1"), studies("orderby", "PatientName"));
        assertEquals(List.of("1.1", "1.2"), studies("orderby", "StudyDate", "limit", "2"));
        assertEquals(List.of("1.5", "1.4"), studies("orderby", "-PatientID", "limit", "2"));
    }

    // ---- series state and metadata claims

    @Test
    void updatedTimeIncreasesWithEveryChange() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"));
        long t1 = state(T1, "1.1", "1.1.1").updatedTime();
        assertTrue(Math.abs(t1 - System.currentTimeMillis() * 1000) < 60_000_000L, "microseconds since the epoch");
        store(inst(T1, "1.1", "1.1.1", "1.1.1.2"));
        long t2 = state(T1, "1.1", "1.1.1").updatedTime();
        index.delete(T1, "1.1", "1.1.1", "1.1.1.1");
        long t3 = state(T1, "1.1", "1.1.1").updatedTime();
        assertTrue(t1 < t2 && t2 < t3, t1 + " " + t2 + " " + t3);
    }

    @Test
    void concurrentStoresIntoOneSeriesKeepExactCounts() throws Exception {
        int threads = 8, perThread = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String sop = "1.1.1." + thread + "." + i;
                        StoreResult r = store(inst(T1, "1.1", "1.1.1", sop).instanceNumber(thread * 100 + i));
                        assertEquals(List.of(), r.conflicts());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        assertEquals(threads * perThread, state(T1, "1.1", "1.1.1").instanceCount());
        assertEquals(threads * perThread, index.listInstances(T1, "1.1", "1.1.1").size());
        DataSet study = search(Level.STUDY, null, null).matches().getFirst();
        assertEquals(String.valueOf(threads * perThread), study.getString(tag("NumberOfStudyRelatedInstances")));
        assertEquals("1", study.getString(tag("NumberOfStudyRelatedSeries")));
    }

    @Test
    void concurrentStoresIntoSeriesOfOneStudyKeepStudyCounts() throws Exception {
        int threads = 4, perThread = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < perThread; i++) {
                        store(inst(T1, "1.1", "1.1." + thread, "1.1." + thread + "." + i).modality(thread % 2 == 0 ? "CT" : "MR"));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        DataSet study = search(Level.STUDY, null, null).matches().getFirst();
        assertEquals(String.valueOf(threads), study.getString(tag("NumberOfStudyRelatedSeries")));
        assertEquals(String.valueOf(threads * perThread), study.getString(tag("NumberOfStudyRelatedInstances")));
        assertArrayEquals(new String[] {"CT", "MR"}, study.getStrings(tag("ModalitiesInStudy")));
    }

    @Test
    void claimedSeriesBelongToOneWorkerAndBuiltMakesThemCurrent() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"), inst(T1, "1.1", "1.1.2", "1.1.2.1"));
        SeriesState before = state(T1, "1.1", "1.1.1");
        assertEquals("PENDING", before.metadataStatus());
        assertFalse(before.metadataIsCurrent());
        assertEquals(List.of(), index.claimPendingSeries(before.updatedTime() - 1, 10, "w1", Duration.ofMinutes(1)),
                "not quiet yet");

        List<SeriesState> w1 = index.claimPendingSeries(now(), 1, "w1", Duration.ofMinutes(1));
        List<SeriesState> w2 = index.claimPendingSeries(now(), 10, "w2", Duration.ofMinutes(1));
        assertEquals(1, w1.size());
        assertEquals(1, w2.size());
        assertFalse(w1.getFirst().series().equals(w2.getFirst().series()), "two workers never hold the same series");
        assertEquals(List.of(), index.claimPendingSeries(now(), 10, "w3", Duration.ofMinutes(1)));
        assertEquals("BUILDING", state(T1, "1.1", w1.getFirst().series().seriesUid()).metadataStatus());

        SeriesState mine = w1.getFirst();
        index.metadataBuilt(mine.series(), "w2", mine.updatedTime(), "not-mine");
        assertNull(index.seriesState(mine.series()).orElseThrow().metadataDocumentKey(), "only the lease holder records a build");
        index.metadataBuilt(mine.series(), "w1", mine.updatedTime(), "doc-1");
        SeriesState built = index.seriesState(mine.series()).orElseThrow();
        assertTrue(built.metadataIsCurrent());
        assertEquals("DONE", built.metadataStatus());
        assertEquals("doc-1", built.metadataDocumentKey());
        assertEquals(mine.updatedTime(), built.metadataFlagTime());

        store(inst(T1, "1.1", mine.series().seriesUid(), mine.series().seriesUid() + ".9"));
        SeriesState changed = index.seriesState(mine.series()).orElseThrow();
        assertFalse(changed.metadataIsCurrent());
        assertEquals("PENDING", changed.metadataStatus());
        assertEquals(List.of(mine.series()), index.claimPendingSeries(now(), 10, "w1", Duration.ofMinutes(1))
                .stream().map(SeriesState::series).toList());
    }

    @Test
    void workersClaimingAtOnceNeverShareASeries() throws Exception {
        List<TestInstance> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) batch.add(inst(T1, "1.1", "1.1." + i, "1.1." + i + ".1"));
        store(batch.toArray(TestInstance[]::new));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<SeriesState>>> claims = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String worker = "w" + w;
                claims.add(pool.submit(() -> index.claimPendingSeries(now(), 8, worker, Duration.ofMinutes(1))));
            }
            List<SeriesRef> all = new ArrayList<>();
            for (Future<List<SeriesState>> f : claims) f.get().forEach(s -> all.add(s.series()));
            assertEquals(all.size(), all.stream().distinct().count(), "a series claimed twice: " + all);
            assertTrue(all.size() >= 8, "at least one worker's worth claimed: " + all.size());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void malformedUidsAreRefusedBeforeAnythingIsStored() {
        String tooLong = "1." + "2".repeat(70);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> store(inst(T1, "1.1", "1.1.1", "1.1.1.1"), inst(T1, "1.1", "1.1.1", tooLong)));
        assertEquals(List.of(), studies());
    }

    @Test
    void aBuildFromAnOlderVersionLeavesTheSeriesPending() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"));
        SeriesState claimed = index.claimPendingSeries(now(), 10, "w1", Duration.ofMinutes(1)).getFirst();
        store(inst(T1, "1.1", "1.1.1", "1.1.1.2")); // changes while the document is being built
        index.metadataBuilt(claimed.series(), "w1", claimed.updatedTime(), "doc-old");
        SeriesState s = state(T1, "1.1", "1.1.1");
        assertEquals("PENDING", s.metadataStatus());
        assertFalse(s.metadataIsCurrent());
        assertEquals(1, index.claimPendingSeries(now(), 10, "w2", Duration.ofMinutes(1)).size());
    }

    @Test
    void anExpiredLeaseCanBeClaimedByAnotherWorker() throws Exception {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"));
        SeriesState first = index.claimPendingSeries(now(), 10, "w1", Duration.ofMillis(1)).getFirst();
        Thread.sleep(20);
        List<SeriesState> second = index.claimPendingSeries(now(), 10, "w2", Duration.ofMinutes(1));
        assertEquals(List.of(first.series()), second.stream().map(SeriesState::series).toList());
        index.metadataBuilt(first.series(), "w1", first.updatedTime(), "doc-w1");
        assertNull(state(T1, "1.1", "1.1.1").metadataDocumentKey(), "w1 lost its lease");
        index.metadataBuilt(first.series(), "w2", first.updatedTime(), "doc-w2");
        assertEquals("doc-w2", state(T1, "1.1", "1.1.1").metadataDocumentKey());
    }

    @Test
    void failedBuildsAreRetriedUntilMaxRetries() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"));
        SeriesRef series = ref(T1, "1.1", "1.1.1");
        long future = now() + 3_600_000_000L;
        index.claimPendingSeries(now(), 10, "w1", Duration.ofMinutes(1));
        index.metadataFailed(series, "w1", "boom 1", future, 2);
        SeriesState s = state(T1, "1.1", "1.1.1");
        assertEquals("PENDING", s.metadataStatus());
        assertEquals(1, s.metadataRetries());
        assertEquals("boom 1", s.metadataError());
        assertEquals(List.of(), index.claimPendingSeries(now(), 10, "w1", Duration.ofMinutes(1)), "not before its retry time");

        index.metadataFailed(series, "w1", "not holding the lease", 0, 2);
        assertEquals(1, state(T1, "1.1", "1.1.1").metadataRetries(), "ignored without the lease");
    }

    @Test
    void afterMaxRetriesASeriesIsFailedUntilItChanges() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"));
        SeriesRef series = ref(T1, "1.1", "1.1.1");
        long past = System.currentTimeMillis() * 1000 - 1;
        for (int i = 1; i <= 2; i++) {
            assertEquals(1, index.claimPendingSeries(now(), 10, "w1", Duration.ofMinutes(1)).size(), "attempt " + i);
            index.metadataFailed(series, "w1", "boom " + i, past, 2);
        }
        SeriesState s = state(T1, "1.1", "1.1.1");
        assertEquals("FAILED", s.metadataStatus());
        assertEquals(2, s.metadataRetries());
        assertEquals("boom 2", s.metadataError());
        assertEquals(List.of(), index.claimPendingSeries(now(), 10, "w1", Duration.ofMinutes(1)));
        store(inst(T1, "1.1", "1.1.1", "1.1.1.2"));
        assertEquals("PENDING", state(T1, "1.1", "1.1.1").metadataStatus());
        assertEquals(0, state(T1, "1.1", "1.1.1").metadataRetries());
        assertEquals(1, index.claimPendingSeries(now(), 10, "w1", Duration.ofMinutes(1)).size());
    }

    // ---- walks over the whole index (stratus check)

    @Test
    void instancesAndSeriesOfEveryTenantAreWalkedAPageAtATimeEachOnce() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"), inst(T1, "1.1", "1.1.1", "1.1.1.2"), inst(T1, "1.1", "1.1.2", "1.1.2.1"));
        store(inst(T2, "2.1", "2.1.1", "2.1.1.1"), inst(T2, "2.1", "2.1.1", "2.1.1.2"));
        List<String> seen = new ArrayList<>();
        StoredInstance last = null;
        for (List<StoredInstance> page; !(page = index.instancesAfter(last, 2)).isEmpty(); last = page.getLast()) {
            assertTrue(page.size() <= 2);
            page.forEach(i -> seen.add(i.tenant().name() + "/" + i.sopInstanceUid()));
        }
        assertEquals(List.of("t1/1.1.1.1", "t1/1.1.1.2", "t1/1.1.2.1", "t2/2.1.1.1", "t2/2.1.1.2"), seen);

        List<String> series = new ArrayList<>();
        SeriesRef after = null;
        for (List<SeriesState> page; !(page = index.seriesAfter(after, 2)).isEmpty(); after = page.getLast().series()) {
            page.forEach(s -> series.add(s.series().tenant().name() + "/" + s.series().studyUid() + "/" + s.series().seriesUid() + ":" + s.instanceCount()));
        }
        assertEquals(List.of("t1/1.1/1.1.1:2", "t1/1.1/1.1.2:1", "t2/2.1/2.1.1:2"), series);
    }

    @Test
    void aFailedSeriesRequeuedIsClaimableAgainWithItsTriesForgotten() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"));
        SeriesRef series = ref(T1, "1.1", "1.1.1");
        long past = System.currentTimeMillis() * 1000 - 1;
        for (int i = 1; i <= 2; i++) {
            index.claimPendingSeries(now(), 10, "w1", Duration.ofMinutes(1));
            index.metadataFailed(series, "w1", "boom " + i, past, 2);
        }
        assertEquals("FAILED", state(T1, "1.1", "1.1.1").metadataStatus());
        assertTrue(index.requeueMetadata(series));
        assertEquals(0, state(T1, "1.1", "1.1.1").metadataRetries());
        assertEquals(1, index.claimPendingSeries(now(), 10, "w1", Duration.ofMinutes(1)).size());
        assertFalse(index.requeueMetadata(ref(T1, "1.1", "9.9.9")), "no such series");
    }

    // ---- deletes

    @Test
    void deletingAnInstanceUpdatesCounts() {
        storeThreeStudies();
        DeleteResult r = index.delete(T1, "1.1", "1.1.1", "1.1.1.1");
        assertEquals(new DeleteResult(1, List.of("t1/1.1.1.1"), List.of()), r);
        assertEquals(1, state(T1, "1.1", "1.1.1").instanceCount());
        DataSet study = search(Level.STUDY, null, null, "StudyInstanceUID", "1.1").matches().getFirst();
        assertEquals("2", study.getString(tag("NumberOfStudyRelatedInstances")));
        assertEquals("PENDING", state(T1, "1.1", "1.1.1").metadataStatus());
        assertFalse(index.delete(T1, "1.1", "1.1.1", "1.1.1.1").found(), "already gone");
        assertFalse(index.delete(T1, "1.2", "1.1.1", "1.1.1.2").found(), "wrong study");
    }

    @Test
    void deletingTheLastInstanceRemovesSeriesAndStudy() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"));
        index.claimPendingSeries(now(), 10, "w1", Duration.ofMinutes(1));
        index.metadataBuilt(ref(T1, "1.1", "1.1.1"), "w1", state(T1, "1.1", "1.1.1").updatedTime(), "doc-1");
        DeleteResult r = index.delete(T1, "1.1", "1.1.1", "1.1.1.1");
        assertEquals(List.of("doc-1"), r.metadataDocumentKeys());
        assertTrue(index.seriesState(ref(T1, "1.1", "1.1.1")).isEmpty());
        assertEquals(List.of(), studies());
    }

    @Test
    void deletingASeriesUpdatesTheStudy() {
        storeThreeStudies();
        index.claimPendingSeries(now(), 10, "w1", Duration.ofMinutes(1));
        index.metadataBuilt(ref(T1, "1.1", "1.1.1"), "w1", state(T1, "1.1", "1.1.1").updatedTime(), "doc-111");
        DeleteResult r = index.delete(T1, "1.1", "1.1.1", null);
        assertEquals(2, r.instancesDeleted());
        assertEquals(List.of("t1/1.1.1.1", "t1/1.1.1.2"), r.blobKeys().stream().sorted().toList());
        assertEquals(List.of("doc-111"), r.metadataDocumentKeys());
        DataSet study = search(Level.STUDY, null, null, "StudyInstanceUID", "1.1").matches().getFirst();
        assertEquals("1", study.getString(tag("NumberOfStudyRelatedSeries")));
        assertEquals("1", study.getString(tag("NumberOfStudyRelatedInstances")));
        assertArrayEquals(new String[] {"MR"}, study.getStrings(tag("ModalitiesInStudy")));
        assertEquals(List.of("1.1"), studies("ModalitiesInStudy", "MR"));
        assertEquals(List.of("1.2"), studies("ModalitiesInStudy", "CT"));
        assertFalse(index.delete(T1, "1.1", "1.1.1", null).found());
    }

    @Test
    void deletingAStudyRemovesEverything() {
        storeThreeStudies();
        DeleteResult r = index.delete(T1, "1.1", null, null);
        assertEquals(3, r.instancesDeleted());
        assertEquals(3, r.blobKeys().size());
        assertEquals(List.of("1.3", "1.2"), studies());
        assertEquals(List.of(), index.listInstances(T1, "1.1", null));
        assertTrue(index.findInstance(T1, null, null, "1.1.2.1").isEmpty());
        assertTrue(index.seriesState(ref(T1, "1.1", "1.1.2")).isEmpty());
        assertEquals(List.of(), studies("PatientName", "doe", "fuzzymatching", "true", "StudyInstanceUID", "1.1"));
        assertFalse(index.delete(T1, "1.1", null, null).found());
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"));
        assertEquals(List.of("1.1"), studies("StudyInstanceUID", "1.1"), "a deleted study can be stored again");
    }

    // ---- tenants

    @Test
    void tenantsNeverSeeEachOther() {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1").patient("Doe^John", "P1"));
        StoreResult other = store(inst(T2, "1.1", "1.1.1", "1.1.1.1").patient("Doe^Jane", "P1").blobKey("t2-key"));
        assertEquals(List.of(), other.conflicts(), "the same UIDs in another tenant are not a conflict");
        assertEquals(List.of(), other.replacedBlobKeys());
        assertEquals("t1/1.1.1.1", index.findInstance(T1, null, null, "1.1.1.1").orElseThrow().blobKey());
        assertEquals("t2-key", index.findInstance(T2, null, null, "1.1.1.1").orElseThrow().blobKey());
        assertEquals(1, search(Level.STUDY, null, null, "PatientID", "P1").matches().size());
        assertEquals("Doe^John", search(Level.STUDY, null, null).matches().getFirst().getString(tag("PatientName")));
        assertEquals(List.of(), studies("PatientName", "jane", "fuzzymatching", "true"));
        assertEquals(1, index.search(T2, QidoQueryParser.parse(Level.INSTANCE, null, null, Map.of())).matches().size());
        assertEquals(1, index.listInstances(T2, "1.1", null).size());

        index.delete(T2, "1.1", null, null);
        assertTrue(index.findInstance(T2, null, null, "1.1.1.1").isEmpty());
        assertTrue(index.findInstance(T1, null, null, "1.1.1.1").isPresent());
        assertEquals(1, state(T1, "1.1", "1.1.1").instanceCount());
        assertNotNull(index.seriesState(ref(T1, "1.1", "1.1.1")).orElse(null));
        assertTrue(index.seriesState(ref(T2, "1.1", "1.1.1")).isEmpty());
    }

    @Test
    void checkReadyPassesWhenTheDatabaseAnswers() {
        index.checkReady();
    }

    // ---- event outbox (docs/decisions/0004-event-outbox.md)

    private void reopenWithOutbox() throws Exception {
        index.close();
        index = reopen(true);
    }

    private List<OutboxEvent> claimAll() {
        return index.claimOutbox(1000, Duration.ofMinutes(1));
    }

    private static List<String> sops(List<OutboxEvent> events) {
        return events.stream().map(OutboxEvent::sopInstanceUid).toList();
    }

    @Test
    void aStoreWritesOneOutboxRowPerInstanceWrittenAndNoneForAConflict() throws Exception {
        reopenWithOutbox();
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"), inst(T1, "1.1", "1.1.2", "1.1.2.1").modality("MR").sopClass(TestInstance.MR_IMAGE));
        store(inst(T1, "1.1", "1.1.1", "1.1.1.2"));
        StoreResult conflict = store(inst(T1, "1.2", "1.2.1", "1.1.1.1"));
        assertEquals(1, conflict.conflicts().size());

        List<OutboxEvent> events = claimAll();
        assertEquals(List.of("1.1.1.1", "1.1.2.1", "1.1.1.2"), sops(events), "one row per instance written, in commit order");
        for (int i = 1; i < events.size(); i++) assertTrue(events.get(i).id() > events.get(i - 1).id(), "ids increase: " + events);
        OutboxEvent mr = events.get(1);
        assertEquals(new OutboxEvent(mr.id(), OutboxEvent.Kind.INSTANCE_STORED, T1, "1.1", "1.1.2", "1.1.2.1", TestInstance.MR_IMAGE,
                mr.createdMicros()), mr);
        assertTrue(mr.createdMicros() > 0);
    }

    @Test
    void aStoreThatFailsLeavesRowsOnlyForTheInstancesItKept() throws Exception {
        reopenWithOutbox();
        // The second series' instance has no blob key: the SQL databases refuse it after the first series was written.
        List<InstanceRecord> batch = List.of(inst(T1, "1.1", "1.1.1", "1.1.1.1").build(),
                inst(T1, "1.1", "1.1.2", "1.1.2.1").blobKey(null).build());
        try {
            index.store(batch);
        } catch (RuntimeException expected) {
            // the outbox must follow whatever the store kept
        }
        List<String> kept = batch.stream().map(InstanceRecord::sopInstanceUid)
                .filter(sop -> index.findInstance(T1, "1.1", null, sop).isPresent()).toList();
        if (storesAreTransactions()) assertEquals(List.of(), kept, "the failed store was rolled back");
        assertEquals(kept, sops(claimAll()));
    }

    @Test
    void eachDeleteWritesOneRowOfItsLevelAndADeleteOfNothingNone() throws Exception {
        reopenWithOutbox();
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"), inst(T1, "1.1", "1.1.1", "1.1.1.2"), inst(T1, "1.1", "1.1.2", "1.1.2.1"),
                inst(T1, "1.2", "1.2.1", "1.2.1.1"));
        index.removeOutbox(claimAll().stream().map(OutboxEvent::id).toList());

        index.delete(T1, "1.1", "1.1.1", "1.1.1.1");
        index.delete(T1, "1.1", "1.1.2", null);
        index.delete(T1, "1.2", null, null);
        index.delete(T1, "9.9", null, null);
        index.delete(T1, "1.1", "1.1.1", "9.9.9.9");

        List<OutboxEvent> events = claimAll();
        assertEquals(List.of(OutboxEvent.Kind.INSTANCE_DELETED, OutboxEvent.Kind.SERIES_DELETED, OutboxEvent.Kind.STUDY_DELETED),
                events.stream().map(OutboxEvent::kind).toList());
        assertEquals(List.of("1.1", "1.1", "1.2"), events.stream().map(OutboxEvent::studyUid).toList());
        assertEquals(Arrays.asList("1.1.1", "1.1.2", null), events.stream().map(OutboxEvent::seriesUid).toList());
        assertEquals(Arrays.asList("1.1.1.1", null, null), sops(events));
    }

    @Test
    void claimedRowsAreHeldUntilTheirLeaseExpiresAndRemovedOnesNeverReturn() throws Exception {
        reopenWithOutbox();
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"), inst(T1, "1.1", "1.1.1", "1.1.1.2"), inst(T1, "1.1", "1.1.1", "1.1.1.3"));

        // One second of lease: long enough that a loaded machine does not let it run out between the next two claims
        // (50 ms did, on MariaDB and MongoDB under load), short enough to wait for.
        long claimed = System.nanoTime();
        List<OutboxEvent> first = index.claimOutbox(2, Duration.ofSeconds(1));
        assertEquals(List.of("1.1.1.1", "1.1.1.2"), sops(first), "the oldest first");
        List<OutboxEvent> second = index.claimOutbox(10, Duration.ofMinutes(1));
        assertEquals(List.of("1.1.1.3"), sops(second), "rows held by another relay are skipped");
        assertEquals(List.of(), claimAll());

        Thread.sleep(Math.max(0, 1_100 - (System.nanoTime() - claimed) / 1_000_000)); // the first lease expires: that relay is presumed dead
        index.removeOutbox(List.of(first.getFirst().id()));
        assertEquals(List.of("1.1.1.2"), sops(claimAll()), "an expired lease is claimable again, a removed row is gone");
        index.removeOutbox(List.of(first.getFirst().id(), first.get(1).id(), second.getFirst().id()));
        index.removeOutbox(List.of(first.getFirst().id()));
        assertEquals(List.of(), index.claimOutbox(10, Duration.ZERO));
    }

    @Test
    void theOldestWaitingEventIsSeenWhicheverRelayHoldsItAndNoneOnceAllAreRelayed() throws Exception {
        reopenWithOutbox();
        assertEquals(Optional.empty(), index.oldestOutboxMicros(), "nothing waits");
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"));
        store(inst(T1, "1.1", "1.1.1", "1.1.1.2"));
        List<OutboxEvent> held = index.claimOutbox(10, Duration.ofMinutes(1)); // another node's relay holds them
        assertEquals(Optional.of(held.getFirst().createdMicros()), index.oldestOutboxMicros(), "the oldest, though held");
        index.removeOutbox(List.of(held.getFirst().id()));
        assertEquals(Optional.of(held.get(1).createdMicros()), index.oldestOutboxMicros());
        index.removeOutbox(List.of(held.get(1).id()));
        assertEquals(Optional.empty(), index.oldestOutboxMicros(), "all relayed");
    }

    @Test
    void withTheOutboxOffNothingIsWritten() throws Exception {
        store(inst(T1, "1.1", "1.1.1", "1.1.1.1"), inst(T1, "1.1", "1.1.1", "1.1.1.2"));
        index.delete(T1, "1.1", "1.1.1", "1.1.1.2");
        reopenWithOutbox();
        assertEquals(List.of(), claimAll());
    }
}
