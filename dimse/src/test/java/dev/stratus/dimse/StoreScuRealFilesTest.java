package dev.stratus.dimse;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.UidDictionary;
import dev.stratus.codec.Uids;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every pydicom test file that the codec reads, sent by DCMTK storescu in its own transfer syntax, each
 * over its own association to its own called AE title, mapped to its own tenant (some files share UIDs).
 * Then, through the index: stored in that transfer syntax; or refused with the status that says why.
 */
class StoreScuRealFilesTest {
    @TempDir
    static Path dir;
    static TestArchive archive;
    static List<Path> files;
    /** Files that DCMTK 3.6.7 cannot parse although they are readable (by pydicom and our codec). */
    static final java.util.Set<String> DCMTK_UNREADABLE = java.util.Set.of("SC_rgb_jpeg.dcm", "rtdose_rle.dcm", "rtdose_rle_1frame.dcm");

    @BeforeAll
    static void start() throws Exception {
        Dcmtk.require("storescu");
        files = TestFiles.all();
        Map<String, TenantId> byAe = new HashMap<>();
        for (int i = 0; i < files.size(); i++) byAe.put(ae(i), new TenantId("file-" + i));
        archive = new TestArchive(dir, s -> s.withTenants(TenantId.DEFAULT, byAe, Map.of()));
    }

    @AfterAll
    static void stop() {
        if (archive != null) archive.close();
    }

    static String ae(int i) { return "F" + i; }

    @TestFactory
    List<DynamicTest> everyReadableFileIsStoredOrRefusedWithItsStatus() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            int k = i;
            Path p = files.get(i);
            tests.add(DynamicTest.dynamicTest(TestFiles.PYDICOM.relativize(p).toString(), () -> check(k, p)));
        }
        return tests;
    }

    private void check(int i, Path p) throws Exception {
        DicomFile parsed;
        try {
            parsed = DicomReader.read(Files.readAllBytes(p));
        } catch (DicomParseException e) {
            System.out.println("SKIPPED (not readable by the codec): " + p + ": " + e.getMessage());
            return;
        }
        DataSet ds = parsed.dataSet();
        TransferSyntax ts = parsed.transferSyntax();
        String sopClass = ds.getString(Tag.SOPClassUID), sop = ds.getString(Tag.SOPInstanceUID);
        String study = ds.getString(Tag.StudyInstanceUID), series = ds.getString(Tag.SeriesInstanceUID);
        TenantId tenant = new TenantId("file-" + i);
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-aec", ae(i)));
        if (sopClass != null) cmd.addAll(List.of("-xf", proposal(i, sopClass, ts).toString(), "OwnSyntax"));
        cmd.addAll(List.of("127.0.0.1", String.valueOf(archive.port), p.toString()));
        Dcmtk.Run run = Dcmtk.run(null, 120, cmd.toArray(String[]::new));
        String out = run.output();
        System.out.println("=== " + p + " (" + ts.uid() + ")\n" + out);
        if (DCMTK_UNREADABLE.contains(p.getFileName().toString())) {
            // DCMTK's parser gives up on these (our codec reads them): storescu sends nothing.
            assertNotEquals(0, run.exitCode(), out);
            assertTrue(out.contains("Bad DICOM file") || out.contains("No SOP Class or Instance UID"), out);
            assertTrue(archive.index.findInstance(tenant, null, null, sop).isEmpty());
            return;
        }
        if (sopClass == null || sop == null) {
            // storescu itself refuses a file that has no SOP Class or Instance UID: nothing goes on the wire.
            assertNotEquals(0, run.exitCode(), out);
            assertTrue(out.contains("No SOP Class or Instance UID"), out);
            return;
        }
        if (!UidDictionary.isStorageSopClass(sopClass)) {
            assertTrue(out.contains("no presentation context"), out);
            return;
        }
        boolean uidsOk = Uids.isValid(sop) && Uids.isValid(study) && Uids.isValid(series);
        if (!uidsOk) {
            assertTrue(out.contains("0xa900") || out.contains("Data Set does not match SOP Class"), out);
            assertTrue(archive.index.findInstance(tenant, null, null, sop).isEmpty());
            return;
        }
        assertEquals(0, run.exitCode(), out);
        assertTrue(out.contains("Received Store Response (Success)"), out);
        Optional<StoredInstance> stored = archive.index.findInstance(tenant, study, series, sop);
        assertTrue(stored.isPresent(), "stored and indexed: " + p);
        if (parsed.fileMeta().getString(Tag.TransferSyntaxUID) != null) {
            assertEquals(ts.uid(), stored.get().transferSyntaxUid(), "stored in the file's own transfer syntax");
        }
    }

    /** A storescu association profile proposing exactly the file's SOP class in the file's own transfer syntax. */
    private static Path proposal(int i, String sopClass, TransferSyntax ts) throws java.io.IOException {
        Path cfg = dir.resolve("storescu-" + i + ".cfg");
        Files.writeString(cfg, """
                [[TransferSyntaxes]]
                [Own]
                TransferSyntax1 = %s
                [[PresentationContexts]]
                [OwnContext]
                PresentationContext1 = %s\\Own
                [[Profiles]]
                [OwnSyntax]
                PresentationContexts = OwnContext
                """.formatted(ts.uid(), sopClass));
        return cfg;
    }
}
