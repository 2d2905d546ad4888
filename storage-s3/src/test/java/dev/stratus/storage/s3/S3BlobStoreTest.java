package dev.stratus.storage.s3;

import dev.stratus.storage.BlobStore;
import dev.stratus.storage.BlobStoreContractTest;
import dev.stratus.storage.BlobStoreFactory;
import dev.stratus.storage.S3Options;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract over the real SDK and HTTP against s3proxy, in a bucket of its own per test and under a key prefix,
 * with S3's smallest parts so that large blobs go up in several; then what only S3 shows: multipart uploads and
 * their abort, header reads of one window, the checksum behaviour, and storage URLs.
 */
class S3BlobStoreTest extends BlobStoreContractTest {
    private static final String PREFIX = "archive/blobs";
    private String bucket;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @Override
    protected BlobStore openFreshStore() {
        bucket = TestS3.freshBucket();
        S3Options options = TestS3.options();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                Map<String, List<String>> headers = context.httpRequest().headers();
                requests.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " "
                        + headers.keySet().stream().map(h -> h.toLowerCase(Locale.ROOT)).sorted().toList()
                        + " " + headers.getOrDefault("Content-Encoding", List.of()) + " " + headers.getOrDefault("x-amz-content-sha256", List.of())
                        + " " + headers.getOrDefault("Range", List.of()));
            }
        };
        return new S3BlobStore(S3BlobStore.client(options).overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build(),
                new S3Location(bucket, PREFIX), options, S3BlobStore.MIN_PART);
    }

    @Override
    protected int largeBlobBytes() {
        return 2 * S3BlobStore.MIN_PART + 17; // three parts, the last a short one
    }

    private List<String> requestsOf(String operation) {
        return requests.stream().filter(r -> r.startsWith(operation + " ")).toList();
    }

    @Test
    void blobsAreObjectsUnderThePrefixAndOtherObjectsOfTheBucketAreLeftAlone() throws IOException {
        store.put("t/a.dcm", new ByteArrayInputStream(new byte[] {1, 2}));
        TestS3.admin().putObject(b -> b.bucket(bucket).key("other/x"), RequestBody.fromString("not the archive's"));
        TestS3.admin().putObject(b -> b.bucket(bucket).key(PREFIX + "/bad key"), RequestBody.fromString("no blob key"));
        assertEquals(2, TestS3.admin().headObject(b -> b.bucket(bucket).key(PREFIX + "/t/a.dcm")).contentLength());
        assertEquals(List.of("t/a.dcm"), store.list(""));
    }

    @Test
    void largeBlobsGoUpInPartsAndSmallOnesInOnePut() throws IOException {
        store.put("t/large", new ByteArrayInputStream(bytes(largeBlobBytes(), 7)));
        store.putFile("t/placed", staged("large.tmp", bytes(largeBlobBytes(), 8)));
        store.put("t/small", new ByteArrayInputStream(new byte[] {1}));
        assertEquals(2, requestsOf("CreateMultipartUpload").size(), requests.toString());
        assertEquals(6, requestsOf("UploadPart").size(), "three parts each: " + requests);
        assertEquals(1, requestsOf("PutObject").size(), requests.toString());
        for (String key : List.of("t/large", "t/placed")) {
            String etag = TestS3.admin().headObject(b -> b.bucket(bucket).key(PREFIX + "/" + key)).eTag();
            assertTrue(etag.endsWith("-3\""), "a multipart object's ETag counts its parts: " + etag);
        }
    }

    @Test
    void aStreamThatFailsAfterSomePartsLeavesNoUploadBehind() {
        InputStream failing = new java.io.SequenceInputStream(new ByteArrayInputStream(bytes(S3BlobStore.MIN_PART + 10, 9)),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("client went away");
                    }
                });
        IOException e = assertThrows(IOException.class, () -> store.put("t/broken", failing));
        assertEquals("client went away", e.getMessage());
        assertEquals(1, requestsOf("CreateMultipartUpload").size(), requests.toString());
        assertEquals(1, requestsOf("AbortMultipartUpload").size(), requests.toString());
        assertEquals(List.of(), TestS3.admin().listMultipartUploads(b -> b.bucket(bucket)).uploads(), "aborted");
    }

    @Test
    void aHeaderReadFetchesOneWindowAndAFrameOnlyItsBytes() throws IOException {
        byte[] data = bytes(largeBlobBytes(), 10);
        store.put("t/i.dcm", new ByteArrayInputStream(data));
        requests.clear();
        try (InputStream in = store.open("t/i.dcm")) {
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 1000), in.readNBytes(1000)); // the header, then stop
        }
        assertEquals(List.of("GetObject"), requests.stream().map(r -> r.substring(0, r.indexOf(' '))).toList());
        assertTrue(requests.getFirst().endsWith("[bytes=0-" + (S3BlobStore.HEAD_WINDOW - 1) + "]"), requests.toString());
        requests.clear();
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 5_000_000, 5_000_100), readRange("t/i.dcm", 5_000_000, 100));
        assertEquals(1, requests.size(), requests.toString());
        assertTrue(requests.getFirst().endsWith("[bytes=5000000-5000099]"), requests.toString());
    }

    @Test
    void anObjectReplacedWhileItIsReadFailsTheReadRatherThanMixingVersions() throws IOException {
        byte[] first = bytes(S3BlobStore.HEAD_WINDOW * 3, 12);
        store.put("t/changing", new ByteArrayInputStream(first));
        try (InputStream in = store.open("t/changing")) {
            assertArrayEquals(java.util.Arrays.copyOfRange(first, 0, 100), in.readNBytes(100));
            store.put("t/changing", new ByteArrayInputStream(bytes(S3BlobStore.HEAD_WINDOW * 3, 13)));
            in.skipNBytes(S3BlobStore.HEAD_WINDOW); // past the first window: the next read is another GET
            IOException e = assertThrows(IOException.class, () -> in.readNBytes(10));
            assertTrue(e.getMessage().contains("was replaced while it was read"), e.getMessage());
        }
    }

    /**
     * SDK 2.30 and later send CRC checksums in aws-chunked bodies and ask for response checksums unless told
     * otherwise; many S3-compatible services refuse that. The store asks for neither where S3 does not require it.
     */
    @Test
    void requestsCarryNoFlexibleChecksumsWhereS3DoesNotRequireThem() throws IOException {
        store.put("t/small", new ByteArrayInputStream(new byte[] {1, 2, 3}));
        store.put("t/large", new ByteArrayInputStream(bytes(largeBlobBytes(), 11)));
        store.putFile("t/placed", staged("p.tmp", new byte[] {4, 5}));
        read("t/small");
        read("t/large");
        List<String> sent = List.copyOf(requests);
        assertTrue(sent.size() >= 8, sent.toString());
        for (String r : sent) {
            assertTrue(!r.contains("x-amz-checksum") && !r.contains("x-amz-sdk-checksum-algorithm") && !r.contains("x-amz-trailer"),
                    "no flexible checksum: " + r);
            assertTrue(!r.contains("aws-chunked") && !r.contains("STREAMING-"), "a plain body: " + r);
            if (r.startsWith("PutObject") || r.startsWith("UploadPart")) {
                assertTrue(r.matches(".* \\[[0-9a-f]{64}\\] .*"), "over http the payload's SHA-256 is signed: " + r);
            }
        }
    }

    @Test
    void storageUrlsNameABucketAndAPrefix() throws IOException {
        assertEquals(new S3Location("my-bucket", ""), S3Location.parse("s3://my-bucket"));
        assertEquals(new S3Location("my-bucket", "a/b"), S3Location.parse("s3://my-bucket/a/b/"));
        for (String bad : List.of("s3://", "s3://b", "s3://bucket/../x", "s3://bucket/a//b", "s3://bucket?region=x", "s3://bu cket")) {
            assertThrows(IllegalArgumentException.class, () -> S3Location.parse(bad), bad);
        }
        try (BlobStore opened = BlobStoreFactory.open("s3://" + bucket + "/other-prefix", TestS3.options())) {
            assertTrue(opened instanceof S3BlobStore, "found through BlobStoreProvider: " + opened);
            opened.put("k", new ByteArrayInputStream(new byte[] {1}));
            opened.checkReady();
        }
        assertEquals(1, TestS3.admin().headObject(b -> b.bucket(bucket).key("other-prefix/k")).contentLength());
        assertEquals(List.of(), store.list(""), "another prefix is another store");
    }
}
