package dev.stratus.web;

import dev.stratus.archive.ingest.IngestAdmission;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The global ingest budget: stores beyond ingest.maxConcurrent wait a bounded time, then get 503 with Retry-After. */
class StowAdmissionTest {
    @TempDir
    Path dir;

    private static byte[] instance(String study, String sop) throws IOException {
        return GeneratedCt.part10(GeneratedCt.ct(study, Uids.generate(), sop, "Busy^Archive", "BA1", 1, 4), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void storesBeyondTheBudgetAre503WithRetryAfterWhileTheAdmittedOnesCompleteAndServiceGoesOnAfterwards() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            archive.ingest.admitting(new IngestAdmission(2, Duration.ofMillis(500)));
            URI base = URI.create(archive.base);
            String studyA = Uids.generate(), sopA = Uids.generate(), studyB = Uids.generate(), sopB = Uids.generate();
            try (SlowStow a = new SlowStow(base, new Multipart().part(instance(studyA, sopA)).end());
                 SlowStow b = new SlowStow(base, new Multipart().part(instance(studyB, sopB)).end())) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (archive.ingest.admission().running() < 2 && System.nanoTime() < until) Thread.sleep(20);
                assertEquals(2, archive.ingest.admission().running(), "the two slow STOWs hold both places");

                List<CompletableFuture<HttpResponse<String>>> excess = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < 12; i++) {
                    Multipart body = new Multipart().part(instance(Uids.generate(), Uids.generate())).end();
                    excess.add(archive.http.sendAsync(HttpRequest.newBuilder(URI.create(archive.base + "/dicomweb/studies"))
                            .header("Content-Type", body.contentType()).header("Accept", "application/dicom+json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString()));
                }
                for (CompletableFuture<HttpResponse<String>> f : excess) {
                    HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
                    assertEquals(503, r.statusCode(), r.body());
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(null), "Retry-After: the queue time, at least 1 s");
                    assertTrue(r.body().contains("busy") && r.body().contains("ingest.maxConcurrent"), r.body());
                }
                long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(elapsedMs < 5_000, "refused after the 0.5 s queue time, not after the slow ones: " + elapsedMs + " ms");

                String answerA = a.finish(), answerB = b.finish();
                assertTrue(answerA.startsWith("HTTP/1.1 200"), answerA);
                assertTrue(answerB.startsWith("HTTP/1.1 200"), answerB);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (archive.ingest.admission().running() > 0 && System.nanoTime() < until) Thread.sleep(20);
            assertEquals(0, archive.ingest.admission().running(), "every place given back");

            String studyC = Uids.generate(), sopC = Uids.generate();
            HttpResponse<String> c = archive.stow("/dicomweb/studies", new Multipart().part(instance(studyC, sopC)).end());
            assertEquals(200, c.statusCode(), c.body());
            for (String study : List.of(studyA, studyB, studyC)) {
                HttpResponse<String> listed = archive.get("/dicomweb/studies/" + study + "/instances", "application/dicom+json");
                assertEquals(200, listed.statusCode(), study + ": " + listed.body());
            }
            HttpResponse<String> all = archive.get("/dicomweb/studies?PatientID=BA1", "application/dicom+json");
            assertEquals(3, new dev.stratus.codec.json.DicomJsonReader().readArray(all.body()).size(), "none of the refused ones was stored");
        }
    }
}
