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
    @Timeout(600)
    void concurrentAssociationsStoreEveryInstanceDurably() throws Exception {
        Dcmtk.require("storescu");
        List<String> studies = new ArrayList<>();
        Set<String> sent = new HashSet<>();
        for (int a = 0; a < ASSOCIATIONS; a++) {
            String study = Uids.generate(), series = Uids.generate();
            studies.add(study);
            Path files = Files.createDirectories(dir.resolve("send/assoc-" + a));
            for (int i = 1; i <= PER_ASSOCIATION; i++) {
                String sop = Uids.generate();
                sent.add(sop);
                GeneratedCt.write(files.resolve(String.format("%03d.dcm", i)),
                        GeneratedCt.ct(study, series, sop, "Concurrent^" + a, "C" + a, i), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            }
        }
        Path data = dir.resolve("archive");
        try (TestArchive archive = new TestArchive(data)) {
            List<Future<Dcmtk.Run>> runs = new ArrayList<>();
            try (ExecutorService senders = Executors.newFixedThreadPool(ASSOCIATIONS)) {
                for (int a = 0; a < ASSOCIATIONS; a++) {
                    Path files = dir.resolve("send/assoc-" + a);
                    runs.add(senders.submit(() -> Dcmtk.run(null, 600, "storescu", "-v", "-aec", "STRATUS", "-xe",
                            "+sd", "127.0.0.1", String.valueOf(archive.port), files.toString())));
                }
            }
            for (Future<Dcmtk.Run> f : runs) {
                Dcmtk.Run run = f.get();
                String out = run.output();
                assertEquals(0, run.exitCode(), out.substring(Math.max(0, out.length() - 3000)));
                assertEquals(PER_ASSOCIATION, count(out, "Received Store Response (Success)"), out.substring(Math.max(0, out.length() - 3000)));
            }
            archive.awaitNoAssociations();
            assertEquals(0, archive.spooledFiles());
        }
        // Opened again as the server would be: what was answered Success is still there, index row and blob alike.
        try (Archive reopened = Archive.open(Archive.Settings.in(data))) {
            Set<String> found = new HashSet<>();
            for (String study : studies) {
                List<StoredInstance> stored = reopened.index().listInstances(TenantId.DEFAULT, study, null);
                assertEquals(PER_ASSOCIATION, stored.size(), "instances of study " + study);
                for (StoredInstance s : stored) {
                    try (InputStream in = reopened.store().open(s.blobKey())) {
                        String sop = new DicomReader(in.readAllBytes()).readFile(ReadOptions.ALL).dataSet().getString(Tag.SOPInstanceUID);
                        assertEquals(s.sopInstanceUid(), sop, "blob " + s.blobKey());
                    }
                    found.add(s.sopInstanceUid());
                }
            }
            assertEquals(sent, found);
        }
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }
}
