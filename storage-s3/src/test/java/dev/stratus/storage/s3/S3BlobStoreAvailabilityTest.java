package dev.stratus.storage.s3;

import dev.stratus.storage.BlobStore;
import dev.stratus.storage.S3Options;
import dev.stratus.storage.StorageUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What callers see while the object store is down (nothing listens on port 1) or the bucket is missing. */
class S3BlobStoreAvailabilityTest {
    @TempDir
    Path dir;

    @Test
    void aServiceThatIsDownMakesEveryCallUnavailableNamingTheBucketAndEndpoint() throws IOException {
        TestS3.endpoint(); // the credentials, so that what fails is the connection
        S3Options down = new S3Options(URI.create("http://127.0.0.1:1"), null, true);
        try (BlobStore store = S3BlobStore.open(S3Location.parse("s3://archive/blobs"), down)) {
            StorageUnavailableException ready = assertThrows(StorageUnavailableException.class, store::checkReady);
            assertTrue(ready.getMessage().startsWith("object storage unavailable: "), ready.getMessage());
            assertTrue(ready.getMessage().contains("s3://archive/blobs at http://127.0.0.1:1"), ready.getMessage());
            StorageUnavailableException put = assertThrows(StorageUnavailableException.class,
                    () -> store.put("t/k", new ByteArrayInputStream(new byte[] {1})));
            assertTrue(put.getMessage().contains("could not store t/k in s3://archive/blobs"), put.getMessage());
            Path staged = Files.write(dir.resolve("staged"), new byte[] {1, 2});
            BlobStore.Placement placement = store.place(new BlobStore.StagedFile("t/placed", staged));
            assertThrows(StorageUnavailableException.class, placement::await);
            assertThrows(StorageUnavailableException.class, () -> store.open("t/k"), "not reported as absent");
            assertThrows(StorageUnavailableException.class, () -> store.size("t/k"));
            assertThrows(StorageUnavailableException.class, () -> store.list(""));
        }
    }

    @Test
    void aMissingBucketIsUnavailableNamingIt() throws IOException {
        try (BlobStore store = S3BlobStore.open(S3Location.parse("s3://no-such-bucket"), TestS3.options())) {
            StorageUnavailableException ready = assertThrows(StorageUnavailableException.class, store::checkReady);
            assertTrue(ready.getMessage().contains("s3://no-such-bucket"), ready.getMessage());
            StorageUnavailableException put = assertThrows(StorageUnavailableException.class,
                    () -> store.put("k", new ByteArrayInputStream(new byte[] {1})));
            assertTrue(put.getMessage().contains("NoSuchBucket"), put.getMessage());
        }
    }
}
