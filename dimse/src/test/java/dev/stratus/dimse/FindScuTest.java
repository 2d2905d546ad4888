package dev.stratus.dimse;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Element;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DCMTK findscu at every level of the Study Root and Patient Root models against a small archive:
 * responses (extracted by findscu as files) hold exactly the requested keys with the archive's values.
 */
class FindScuTest {
    @TempDir
    static Path dir;
    static TestArchive archive;
    static final String S1 = Uids.generate(), S2 = Uids.generate(), S3 = Uids.generate();
    static final String S1_CT = Uids.generate(), S1_MR = Uids.generate(), S2_CT = Uids.generate(), S3_CT = Uids.generate();
    static final List<String> S1_CT_IMAGES = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Dcmtk.require("findscu");
        archive = new TestArchive(dir);
        for (int i = 1; i <= 3; i++) S1_CT_IMAGES.add(store(S1, S1_CT, "Doe^John", "PID1", i, "CT", "20240315"));
        for (int i = 1; i <= 2; i++) store(S1, S1_MR, "Doe^John", "PID1", i, "MR", "20240315");
        store(S2, S2_CT, "Roe^Jane", "PID2", 1, "CT", "20230101");
        store(S3, S3_CT, "Doe^John", "PID1", 1, "CT", "20240601");
    }

    @AfterAll
    static void stop() {
        if (archive != null) archive.close();
    }

    static String store(String study, String series, String name, String pid, int n, String modality, String date) throws Exception {
        String sop = Uids.generate();
        DataSet ds = GeneratedCt.ct(study, series, sop, name, pid, n);
        ds.setString(0x00080060, VR.CS, modality);
        ds.setString(0x00080020, VR.DA, date);
        IngestOutcome o = archive.ingest.ingest(TenantId.DEFAULT, new ByteArrayInputStream(GeneratedCt.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)), null, "test");
        assertInstanceOf(IngestOutcome.Stored.class, o, o.toString());
        return sop;
    }

    /** Runs findscu with the keys, returns the response identifiers it extracted, in order. */
    static List<DataSet> find(String model, String... keys) throws Exception {
        Path out = Files.createTempDirectory(dir, "find-");
        List<String> cmd = new ArrayList<>(List.of("findscu", "-v", model, "-aec", "STRATUS", "-X", "-od", out.toString()));
        for (String k : keys) cmd.addAll(List.of("-k", k));
        cmd.addAll(List.of("127.0.0.1", String.valueOf(archive.port)));
        Dcmtk.Run run = Dcmtk.run(null, 60, cmd.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.output());
        List<DataSet> responses = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path p : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                responses.add(DicomReader.read(Files.readAllBytes(p)).dataSet());
            }
        }
        System.out.println(String.join(" ", cmd) + "\n" + run.output());
        return responses;
    }

    static Set<Integer> tags(DataSet ds) {
        Set<Integer> t = new TreeSet<>();
        for (Element e : ds) if (e.tag() != Tag.SpecificCharacterSet) t.add(e.tag());
        return t;
    }

    static Map<String, DataSet> by(int tag, List<DataSet> responses) {
        Map<String, DataSet> m = new TreeMap<>();
        for (DataSet ds : responses) m.put(ds.getString(tag), ds);
        return m;
    }

    @Test
    void studyRootStudyLevel() throws Exception {
        List<DataSet> r = find("-S", "QueryRetrieveLevel=STUDY", "PatientName=Doe*", "StudyInstanceUID=", "StudyDate=",
                "NumberOfStudyRelatedInstances=", "ModalitiesInStudy=", "RetrieveAETitle=");
        assertEquals(2, r.size());
        Map<String, DataSet> studies = by(Tag.StudyInstanceUID, r);
        assertEquals(Set.of(S1, S3), studies.keySet());
        DataSet s1 = studies.get(S1);
        assertEquals(Set.of(Tag.QueryRetrieveLevel, Tag.PatientName, Tag.StudyInstanceUID, Tag.StudyDate, Tag.NumberOfStudyRelatedInstances, Tag.ModalitiesInStudy, Tag.RetrieveAETitle), tags(s1));
        assertEquals("STUDY", s1.getString(Tag.QueryRetrieveLevel));
        assertEquals("Doe^John", s1.getString(Tag.PatientName));
        assertEquals("5", s1.getString(Tag.NumberOfStudyRelatedInstances));
        assertEquals(Set.of("CT", "MR"), Set.of(s1.getStrings(Tag.ModalitiesInStudy)));
        assertEquals("STRATUS", s1.getString(Tag.RetrieveAETitle));
        assertEquals("20240601", studies.get(S3).getString(Tag.StudyDate));
    }

    @Test
    void studyRootStudyLevelRangeAndUidList() throws Exception {
        assertEquals(Set.of(S1, S3), by(Tag.StudyInstanceUID, find("-S", "QueryRetrieveLevel=STUDY", "StudyDate=20240101-", "StudyInstanceUID=")).keySet());
        assertEquals(Set.of(S1, S2), by(Tag.StudyInstanceUID, find("-S", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + S1 + "\\" + S2)).keySet());
        assertEquals(Set.of(S2), by(Tag.StudyInstanceUID, find("-S", "QueryRetrieveLevel=STUDY", "PatientName=roe^jane", "StudyInstanceUID=")).keySet());
        assertEquals(0, find("-S", "QueryRetrieveLevel=STUDY", "PatientID=NOBODY", "StudyInstanceUID=").size());
    }

    @Test
    void studyRootSeriesLevel() throws Exception {
        List<DataSet> r = find("-S", "QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + S1, "SeriesInstanceUID=", "Modality=", "NumberOfSeriesRelatedInstances=");
        Map<String, DataSet> series = by(Tag.SeriesInstanceUID, r);
        assertEquals(Set.of(S1_CT, S1_MR), series.keySet());
        DataSet ct = series.get(S1_CT);
        assertEquals(Set.of(Tag.QueryRetrieveLevel, Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.Modality, Tag.NumberOfSeriesRelatedInstances), tags(ct));
        assertEquals("CT", ct.getString(Tag.Modality));
        assertEquals("3", ct.getString(Tag.NumberOfSeriesRelatedInstances));
        assertEquals("2", series.get(S1_MR).getString(Tag.NumberOfSeriesRelatedInstances));
        assertEquals(Set.of(S1_MR), by(Tag.SeriesInstanceUID, find("-S", "QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + S1, "Modality=MR", "SeriesInstanceUID=")).keySet());
    }

    @Test
    void studyRootImageLevel() throws Exception {
        List<DataSet> r = find("-S", "QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + S1, "SeriesInstanceUID=" + S1_CT, "SOPInstanceUID=", "InstanceNumber=", "SOPClassUID=");
        assertEquals(new TreeSet<>(S1_CT_IMAGES), by(Tag.SOPInstanceUID, r).keySet());
        for (DataSet ds : r) {
            assertEquals(Set.of(Tag.QueryRetrieveLevel, Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.SOPInstanceUID, Tag.InstanceNumber, Tag.SOPClassUID), tags(ds));
            assertEquals(GeneratedCt.CT_IMAGE_STORAGE, ds.getString(Tag.SOPClassUID));
            assertEquals(S1_CT_IMAGES.indexOf(ds.getString(Tag.SOPInstanceUID)) + 1, ds.getInt(Tag.InstanceNumber, -1));
        }
    }

    @Test
    void patientRootPatientLevel() throws Exception {
        List<DataSet> r = find("-P", "QueryRetrieveLevel=PATIENT", "PatientID=", "PatientName=", "NumberOfPatientRelatedStudies=", "NumberOfPatientRelatedInstances=");
        Map<String, DataSet> patients = by(Tag.PatientID, r);
        assertEquals(Set.of("PID1", "PID2"), patients.keySet());
        DataSet john = patients.get("PID1");
        assertEquals(Set.of(Tag.QueryRetrieveLevel, Tag.PatientID, Tag.PatientName, Tag.NumberOfPatientRelatedStudies, Tag.NumberOfPatientRelatedInstances), tags(john));
        assertEquals("Doe^John", john.getString(Tag.PatientName));
        assertEquals("2", john.getString(Tag.NumberOfPatientRelatedStudies));
        assertEquals("6", john.getString(Tag.NumberOfPatientRelatedInstances));
        assertEquals("1", patients.get("PID2").getString(Tag.NumberOfPatientRelatedStudies));
        assertEquals(Set.of("PID2"), by(Tag.PatientID, find("-P", "QueryRetrieveLevel=PATIENT", "PatientName=R*", "PatientID=")).keySet());
    }

    @Test
    void patientRootStudySeriesAndImageLevels() throws Exception {
        assertEquals(Set.of(S1, S3), by(Tag.StudyInstanceUID, find("-P", "QueryRetrieveLevel=STUDY", "PatientID=PID1", "StudyInstanceUID=")).keySet());
        assertEquals(Set.of(S3_CT), by(Tag.SeriesInstanceUID, find("-P", "QueryRetrieveLevel=SERIES", "PatientID=PID1", "StudyInstanceUID=" + S3, "SeriesInstanceUID=")).keySet());
        List<DataSet> images = find("-P", "QueryRetrieveLevel=IMAGE", "PatientID=PID1", "StudyInstanceUID=" + S1, "SeriesInstanceUID=" + S1_MR, "SOPInstanceUID=");
        assertEquals(2, images.size());
        for (DataSet ds : images) assertEquals(Set.of(Tag.QueryRetrieveLevel, Tag.PatientID, Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.SOPInstanceUID), tags(ds));
    }

    @Test
    void patientLevelInStudyRootIsRefused() throws Exception {
        Path out = Files.createTempDirectory(dir, "find-");
        Dcmtk.Run run = Dcmtk.run(null, 60, "findscu", "-d", "-S", "-X", "-od", out.toString(), "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=",
                "127.0.0.1", String.valueOf(archive.port));
        assertTrue(run.output().contains("DIMSE Status                  : 0xa900"), run.output());
        assertTrue(run.output().contains("(0000,0901) AT (0008,0052)"), "Offending Element sent: " + run.output());
        assertTrue(run.output().contains("PATIENT level is not in the Study Root model"), "Error Comment sent: " + run.output());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void unsupportedModelIsRejectedInNegotiationAndDcmtkUnderstandsTheAnswer() throws Exception {
        Dcmtk.Run run = Dcmtk.run(null, 60, "findscu", "-v", "-W", "-k", "PatientName=", "127.0.0.1", String.valueOf(archive.port));
        assertTrue(run.output().contains("No Acceptable Presentation Contexts"), run.output());
    }
}
