package dev.stratus.dimse;

import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.index.TenantId;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Studies stored in a test archive for the retrieve tests, and the check of what a peer received: exactly the
 * expected instances, each file's data set equal to the one stored, in the transfer syntax the peer accepted.
 * Patient PID1 has study S1 (series CT of 3 images, MR of 2) and S3 (CT, 1); PID2 has S2 (CT, 1).
 */
final class RetrieveFixture {
    final TestArchive archive;
    final String s1 = Uids.generate(), s2 = Uids.generate(), s3 = Uids.generate();
    final String s1Ct = Uids.generate(), s1Mr = Uids.generate(), s2Ct = Uids.generate(), s3Ct = Uids.generate();
    /** SOP Instance UID → the data set as stored. */
    final Map<String, DataSet> stored = new HashMap<>();
    /** Series UID → its SOP Instance UIDs. */
    final Map<String, List<String>> bySeries = new HashMap<>();

    RetrieveFixture(TestArchive archive) throws Exception {
        this.archive = archive;
        for (int i = 1; i <= 3; i++) store(s1, s1Ct, "PID1", i);
        for (int i = 1; i <= 2; i++) store(s1, s1Mr, "PID1", i);
        store(s2, s2Ct, "PID2", 1);
        store(s3, s3Ct, "PID1", 1);
    }

    String store(String study, String series, String pid, int n) throws Exception {
        String sop = Uids.generate();
        DataSet ds = GeneratedCt.ct(study, series, sop, "Doe^" + pid, pid, n);
        ds.setString(Tag.Modality, VR.CS, series.equals(s1Mr) ? "MR" : "CT");
        byte[] part10 = GeneratedCt.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        IngestOutcome o = archive.ingest.ingest(TenantId.DEFAULT, new ByteArrayInputStream(part10), null, "test");
        assertInstanceOf(IngestOutcome.Stored.class, o, o.toString());
        stored.put(sop, DicomReader.read(part10).dataSet());
        bySeries.computeIfAbsent(series, k -> new ArrayList<>()).add(sop);
        return sop;
    }

    Set<String> series(String... series) {
        Set<String> out = new TreeSet<>();
        for (String s : series) out.addAll(bySeries.get(s));
        return out;
    }

    /** The SOP Instance UIDs of the files in {@code dir}, each checked against what was stored; asserts the expected set. */
    void assertReceived(Path dir, Set<String> expected, TransferSyntax expectedSyntax) throws Exception {
        assertEquals(expected, receivedIn(dir, expectedSyntax), "instances received in " + dir);
    }

    /** The SOP Instance UIDs of the files in {@code dir}, each checked file by file against what was stored. */
    Set<String> receivedIn(Path dir, TransferSyntax expectedSyntax) throws Exception {
        Set<String> received = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                DicomFile f = DicomReader.read(Files.readAllBytes(p));
                String sop = f.dataSet().getString(Tag.SOPInstanceUID);
                DataSet original = stored.get(sop);
                assertNotNull(original, p + " holds " + sop + ", which was never stored");
                assertEquals(expectedSyntax.uid(), f.transferSyntax().uid(), "transfer syntax of " + p);
                assertArrayEquals(DicomWriter.encode(original, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                        DicomWriter.encode(f.dataSet(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), "data set of " + p + " differs from the one stored");
                received.add(sop);
            }
        }
        return received;
    }
}
