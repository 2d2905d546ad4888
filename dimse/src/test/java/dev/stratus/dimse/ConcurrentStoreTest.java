package dev.stratus.dimse;

import dev.stratus.archive.Archive;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Four storescu processes at once, one association each and a study each, as a router sends: every C-STORE answered
 * Success is in the index and its blob readable, also after the archive was closed and opened again (the stores of
 * the associations share index commits, and none of them may be acknowledged before it is durable).
 */
class ConcurrentStoreTest {
    static final int ASSOCIATIONS = 4;
    static final int PER_ASSOCIATION = 60;

    @TempDir
    Path dir;

    @Test
    @Timeout(600) // hang guard, generous
    void concurrentAssociationsStoreEveryInstanceDurably() throws Exception {
        Dcmtk.require("storescu");
        List<String> studies = new ArrayList<>();
        Set<String> sent = new HashSet<>();
        for (int a = 0; a < ASSOCIATIONS; a++) studies.add(writeStudy(a, sent, null));
        Path data = dir.resolve("archive");
        try (TestArchive archive = new TestArchive(data)) {
            List<String> outputs = sendAtOnce(archive);
            for (String out : outputs) {
                assertEquals(PER_ASSOCIATION, count(out, "Received Store Response (Success)"), out.substring(Math.max(0, out.length() - 3000)));
            }
            archive.awaitNoAssociations();
            assertEquals(0, archive.spooledFiles());
        }
        assertEquals(sent, storedAfterRestart(data, studies, PER_ASSOCIATION));
    }

    /**
     * One instance among the concurrent stores cannot be stored (its SOP Instance UID is already in another series): it
     * alone is answered with a failure status, its neighbours in the same commits are stored, also after a restart.
     */
    @Test
    @Timeout(600) // hang guard, generous
    void aFailingInstanceAmongConcurrentStoresFailsAlone() throws Exception {
        Dcmtk.require("storescu");
        String taken = Uids.generate();
        List<String> studies = new ArrayList<>();
        Set<String> sent = new HashSet<>();
        for (int a = 0; a < ASSOCIATIONS; a++) studies.add(writeStudy(a, sent, a == 1 ? taken : null));
        sent.remove(taken);
        Path data = dir.resolve("archive");
        String elsewhereStudy = Uids.generate(), elsewhereSeries = Uids.generate();
        try (TestArchive archive = new TestArchive(data)) {
            archive.ingest.ingest(TenantId.DEFAULT, new java.io.ByteArrayInputStream(GeneratedCt.part10(
                    GeneratedCt.ct(elsewhereStudy, elsewhereSeries, taken, "Earlier^One", "E1", 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)),
                    null, "test");
            List<String> outputs = sendAtOnce(archive);
            for (int a = 0; a < ASSOCIATIONS; a++) {
                String out = outputs.get(a), tail = out.substring(Math.max(0, out.length() - 3000));
                assertEquals(a == 1 ? PER_ASSOCIATION - 1 : PER_ASSOCIATION, count(out, "Received Store Response (Success)"), tail);
                if (a == 1) assertEquals(1, count(out, "Received Store Response (Unknown Status: 0x110)"), "its own status, Processing Failure: " + tail);
            }
            archive.awaitNoAssociations();
            assertEquals(0, archive.spooledFiles());
        }
        List<Integer> perStudy = new ArrayList<>();
        for (int a = 0; a < ASSOCIATIONS; a++) perStudy.add(a == 1 ? PER_ASSOCIATION - 1 : PER_ASSOCIATION);
        assertEquals(sent, storedAfterRestart(data, studies, perStudy.stream().mapToInt(i -> i).toArray()));
    }

    /** Writes association {@code a}'s study; its middle instance takes {@code sopOfMiddle} when given. Returns the study UID. */
    private String writeStudy(int a, Set<String> sent, String sopOfMiddle) throws Exception {
        String study = Uids.generate(), series = Uids.generate();
        Path files = Files.createDirectories(dir.resolve("send/assoc-" + a));
        for (int i = 1; i <= PER_ASSOCIATION; i++) {
            String sop = i == PER_ASSOCIATION / 2 && sopOfMiddle != null ? sopOfMiddle : Uids.generate();
            sent.add(sop);
            GeneratedCt.write(files.resolve(String.format("%03d.dcm", i)),
                    GeneratedCt.ct(study, series, sop, "Concurrent^" + a, "C" + a, i), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        }
        return study;
    }

    /** One storescu per association, all at once; returns each one's output (each exited 0). */
    private List<String> sendAtOnce(TestArchive archive) throws Exception {
        List<Future<Dcmtk.Run>> runs = new ArrayList<>();
        try (ExecutorService senders = Executors.newFixedThreadPool(ASSOCIATIONS)) {
            for (int a = 0; a < ASSOCIATIONS; a++) {
                Path files = dir.resolve("send/assoc-" + a);
                // --no-halt: on past a failed store, as a router does
                runs.add(senders.submit(() -> Dcmtk.run(null, 600, "storescu", "-v", "--no-halt", "-aec", "STRATUS", "-xe",
                        "+sd", "127.0.0.1", String.valueOf(archive.port), files.toString())));
            }
        }
        List<String> outputs = new ArrayList<>();
        for (Future<Dcmtk.Run> f : runs) {
            Dcmtk.Run run = f.get();
            String out = run.output();
            assertEquals(0, run.exitCode(), out.substring(Math.max(0, out.length() - 3000)));
            outputs.add(out);
        }
        return outputs;
    }

    /**
     * Opens the archive again as the server would be and returns the SOP Instance UIDs of {@code studies}, checking
     * that each study holds its expected count and that every index row's blob is readable and is that instance.
     */
    private static Set<String> storedAfterRestart(Path data, List<String> studies, int... perStudy) throws Exception {
        try (Archive reopened = Archive.open(Archive.Settings.in(data))) {
            Set<String> found = new HashSet<>();
            for (int k = 0; k < studies.size(); k++) {
                String study = studies.get(k);
                List<StoredInstance> stored = reopened.index().listInstances(TenantId.DEFAULT, study, null);
                assertEquals(perStudy.length == 1 ? perStudy[0] : perStudy[k], stored.size(), "instances of study " + study);
                for (StoredInstance s : stored) {
                    try (InputStream in = reopened.store().open(s.blobKey())) {
                        String sop = new DicomReader(in.readAllBytes()).readFile(ReadOptions.ALL).dataSet().getString(Tag.SOPInstanceUID);
                        assertEquals(s.sopInstanceUid(), sop, "blob " + s.blobKey());
                    }
                    found.add(s.sopInstanceUid());
                }
            }
            return found;
        }
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }
}
