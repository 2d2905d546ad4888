package dev.stratus.web;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.storage.S3Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An object store that cannot be reached refuses stores with 503 and Retry-After; searches go on. */
class StorageOutageTest {
    @TempDir
    Path dir;

    @Test
    void stowWhileS3IsDownAnswers503WithRetryAfterAndStoresNothing() throws Exception {
        System.setProperty("aws.accessKeyId", "stratus-test"); // the SDK's default chain: what fails is the connection
        System.setProperty("aws.secretAccessKey", "stratus-test-secret");
        S3Options down = new S3Options(URI.create("http://127.0.0.1:1"), "us-east-1", true); // nothing listens on port 1
        try (TestArchive archive = TestArchive.withArchive(dir, s -> s.withStorage("s3://archive-bucket/blobs", down, true))) {
            byte[] file = GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "Down^S3", "S3DOWN", 1, 1),
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            HttpResponse<String> stow = archive.stow("/dicomweb/studies", new Multipart().part(file).end());
            assertEquals(503, stow.statusCode(), stow.body());
            assertEquals("10", stow.headers().firstValue("Retry-After").orElse(null));
            assertTrue(stow.body().contains("blob storage is unavailable"), stow.body());
            assertTrue(!stow.body().contains("127.0.0.1"), "the endpoint is the operator's business, in the log: " + stow.body());

            HttpResponse<String> search = archive.get("/dicomweb/studies?PatientID=S3DOWN", null);
            assertEquals(200, search.statusCode(), search.body());
            assertEquals("[]", search.body().strip(), "searched, and nothing was stored");
            assertEquals(503, archive.get("/health/ready", null).statusCode());
        }
    }
}
