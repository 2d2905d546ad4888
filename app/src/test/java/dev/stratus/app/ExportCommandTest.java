package dev.stratus.app;

import dev.stratus.archive.Archive;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static dev.stratus.app.CommandLineContractTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** `stratus export`: a study out of the archive byte for byte, into a folder, a zip, or a DICOMDIR file set that DCMTK reads. */
class ExportCommandTest {
    private final String study = Uids.generate(), series1 = Uids.generate(), series2 = Uids.generate();
    /** SOP Instance UID → the bytes stored. */
    private final Map<String, byte[]> stored = new HashMap<>();

    private Path archiveWithAStudy(Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (Archive archive = Archive.open(Archive.Settings.in(data))) {
            for (String series : List.of(series1, series1, series2)) {
                String sop = Uids.generate();
                byte[] bytes = ArchiveClient.instance(study, series, sop, 2);
                stored.put(sop, bytes);
                archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(bytes), null, "test");
            }
            String other = Uids.generate();
            archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(ArchiveClient.instance(other, Uids.generate(), Uids.generate(), 1)), null, "test");
        }
        return data;
    }

    @Test
    void exportsAStudyIntoAFolderByteForByte(@TempDir Path dir) throws Exception {
        Path data = archiveWithAStudy(dir);
        Path out = dir.resolve("out");
        CommandLineContractTest.Run r = run("export", "--study", study, "--to", out.toString(), "--data-dir", data.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("exported 3 instances"), r.out());
        try (var files = Files.walk(out)) {
            assertEquals(3, files.filter(Files::isRegularFile).count(), "the other study stays out");
        }
        for (var e : stored.entrySet()) {
            Path series = Files.exists(out.resolve(series1).resolve(e.getKey() + ".dcm")) ? out.resolve(series1) : out.resolve(series2);
            assertArrayEquals(e.getValue(), Files.readAllBytes(series.resolve(e.getKey() + ".dcm")));
        }

        CommandLineContractTest.Run again = run("export", "--study", study, "--to", out.toString(), "--data-dir", data.toString());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("nothing is overwritten"), again.err());
        CommandLineContractTest.Run none = run("export", "--study", "1.2.3", "--to", dir.resolve("x").toString(), "--data-dir", data.toString());
        assertEquals(1, none.status());
        assertTrue(none.err().contains("no study 1.2.3 in tenant default"), none.err());
    }

    @Test
    void exportsAStudyIntoAZipByteForByte(@TempDir Path dir) throws Exception {
        Path data = archiveWithAStudy(dir);
        Path zip = dir.resolve("study.zip");
        CommandLineContractTest.Run r = run("export", "--study", study, "--to", zip.toString(), "--data-dir", data.toString());
        assertEquals(0, r.status(), r.err());
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; entries++) {
                String sop = e.getName().substring(e.getName().indexOf('/') + 1).replace(".dcm", "");
                assertArrayEquals(stored.get(sop), in.readAllBytes(), e.getName());
            }
        }
        assertEquals(3, entries);
        assertFalse(Files.exists(dir.resolve("study.zip.part")));
    }

    /** The instance of ArchiveClient with the keys a DICOMDIR's records need (PS3.3 F.5), as a modality writes them. */
    private static byte[] withDirectoryKeys(byte[] instance, int seriesNumber, int number) throws Exception {
        DataSet ds = DicomReader.read(instance).dataSet();
        ds.setString(0x00100020, VR.LO, "P-42");
        ds.setString(0x00080020, VR.DA, "20261207");
        ds.setString(0x00080030, VR.TM, "101500");
        ds.setString(0x00200010, VR.SH, "S1");
        ds.setString(0x00200011, VR.IS, String.valueOf(seriesNumber));
        ds.setString(0x00200013, VR.IS, String.valueOf(number));
        return ArchiveClient.part10(ds);
    }

    @Test
    void aDicomdirHoldsTheSameRecordsAsDcmtkMakesFromTheSameFiles(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmmkdir")) || "true".equals(System.getenv("CI")), "DCMTK not installed");
        Path data = dir.resolve("data");
        try (Archive archive = Archive.open(Archive.Settings.in(data))) {
            int n = 0;
            for (String series : List.of(series1, series1, series2)) {
                archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(
                        withDirectoryKeys(ArchiveClient.instance(study, series, Uids.generate(), 1), series.equals(series1) ? 1 : 2, ++n)), null, "test");
            }
        }
        Path media = dir.resolve("media");
        CommandLineContractTest.Run r = run("export", "--study", study, "--to", media.toString(), "--dicomdir", "--data-dir", data.toString());
        assertEquals(0, r.status(), r.err());
        exec(media, "dcmmkdir", "-q", "+r", "-Pgp", "+D", "../REFDIR", "DICOM");
        assertEquals(records(exec(media, "dcmdump", "../REFDIR")), records(exec(media, "dcmdump", "DICOMDIR")));
    }

    /**
     * pydicom's files of other SOP classes (RT, SR, a waveform) put into one study: each gets the record type and the keys
     * of PS3.3 F.4/F.5 that dcmmkdir gives it (SR DOCUMENT with its flags, dates and concept name, RT DOSE with its
     * summation type, RT PLAN and RT STRUCTURE SET with label, date and time, WAVEFORM with content date and time), not IMAGE.
     */
    @Test
    void eachInstanceGetsTheRecordTypeOfItsSopClassAsDcmtkGivesIt(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmmkdir")) || "true".equals(System.getenv("CI")), "DCMTK not installed");
        Path data = dir.resolve("data");
        List<String> files = List.of("CT_small.dcm", "rtdose.dcm", "rtplan.dcm", "rtstruct.dcm", "test-SR.dcm", "waveform_ecg.dcm");
        try (Archive archive = Archive.open(Archive.Settings.in(data))) {
            int n = 0;
            for (String name : files) {
                DataSet ds = DicomReader.read(Files.readAllBytes(dev.stratus.codec.TestFiles.file(name))).dataSet();
                ds.setString(Tag.StudyInstanceUID, VR.UI, study);
                ds.setString(Tag.SeriesInstanceUID, VR.UI, Uids.generate());
                ds.setString(0x00100010, VR.PN, "Record^Types");
                ds.setString(0x00100020, VR.LO, "P-43");
                ds.setString(0x00080020, VR.DA, "20261207");
                ds.setString(0x00080030, VR.TM, "101500");
                ds.setString(0x00200010, VR.SH, "S1");
                ds.setString(0x00200011, VR.IS, String.valueOf(++n));
                if (ds.getString(Tag.InstanceNumber) == null) ds.setString(Tag.InstanceNumber, VR.IS, "1");
                archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(ArchiveClient.part10(ds)), null, "test");
            }
        }
        Path media = dir.resolve("media");
        CommandLineContractTest.Run r = run("export", "--study", study, "--to", media.toString(), "--dicomdir", "--data-dir", data.toString());
        assertEquals(0, r.status(), r.err());
        String ours = exec(media, "dcmdump", "DICOMDIR");
        for (String type : List.of("[IMAGE]", "[RT DOSE]", "[RT PLAN]", "[RT STRUCTURE SET]", "[SR DOCUMENT]", "[WAVEFORM]")) {
            assertEquals(1, count(ours, type), type + "\n" + ours);
        }
        exec(media, "dcmmkdir", "-q", "+r", "-Pgp", "-Nrc", "+D", "../REFDIR", "DICOM");
        assertEquals(records(exec(media, "dcmdump", "../REFDIR")), records(ours));
    }

    /**
     * The records as DCMTK dumps them, each as its key lines, in no order (DCMTK orders series as it meets their files);
     * the links between them are checked by {@link #exportsADicomdirFileSetThatDcmtkReads}.
     */
    private static List<String> records(String dump) {
        List<String> lines = dump.lines().map(String::strip)
                .filter(l -> l.startsWith("(0004,1430)") || l.startsWith("(0004,1500)") || l.startsWith("(0004,151")
                        || l.startsWith("(0010,0020)") || l.startsWith("(0008,002") || l.startsWith("(0008,0030)")
                        || l.startsWith("(0020,00") || l.startsWith("(0008,0060)") || l.startsWith("(0008,0023)") || l.startsWith("(0008,0033)")
                        || l.startsWith("(0040,a4") || l.startsWith("(0040,a030)") || l.startsWith("(0040,a043)") || l.startsWith("(0008,0104)")
                        || l.startsWith("(3004,000") || l.startsWith("(3006,000") || l.startsWith("(300a,000"))
                .map(l -> l.replaceAll("\\s+#.*", "").replaceAll(" \\(Sequence with (explicit|undefined) length", "")) // either encoding is valid
                .toList();
        List<String> records = new java.util.ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("(0004,1430)")) records.add(l);
            else records.set(records.size() - 1, records.getLast() + " " + l);
        }
        return records.stream().sorted().toList();
    }

    @Test
    void exportsADicomdirFileSetThatDcmtkReads(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmdump")) || "true".equals(System.getenv("CI")), "DCMTK not installed");
        Path data = archiveWithAStudy(dir);
        Path out = dir.resolve("media");
        CommandLineContractTest.Run r = run("export", "--study", study, "--to", out.toString(), "--dicomdir", "--data-dir", data.toString());
        assertEquals(0, r.status(), r.err());
        String dump = exec(out, "dcmdump", "DICOMDIR");
        assertTrue(dump.contains("=MediaStorageDirectoryStorage"), dump);
        // every link (next record, lower level, root) points at a record's first byte, as DCMTK finds them
        java.util.Set<String> recordOffsets = new java.util.HashSet<>();
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("#  offset=\\$(\\d+)").matcher(dump);
        while (at.find()) recordOffsets.add(at.group(1));
        assertEquals(7, recordOffsets.size(), dump);
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("\\) up (\\d+) ").matcher(dump);
        int links = 0;
        while (link.find()) {
            if (link.group(1).equals("0")) continue;
            links++;
            assertTrue(recordOffsets.contains(link.group(1)), "a link to " + link.group(1) + ", where no record starts\n" + dump);
        }
        assertEquals(2 + 4 + 2, links, "root first and last, a lower link from each record above IMAGE, series 1 to 2 and image 1 to 2\n" + dump);
        assertEquals(1, count(dump, "[PATIENT]"), dump);
        assertEquals(1, count(dump, "[STUDY]"), dump);
        assertEquals(2, count(dump, "[SERIES]"), dump);
        assertEquals(3, count(dump, "[IMAGE]"), dump);
        assertTrue(dump.contains("[DICOM\\S0001\\I0000001]"), dump);
        assertTrue(dump.contains("[DICOM\\S0002\\I0000003]"), dump);
        for (var e : stored.entrySet()) assertTrue(dump.contains("[" + e.getKey() + "]"), "IMAGE record of " + e.getKey() + "\n" + dump);
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    private static String exec(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
