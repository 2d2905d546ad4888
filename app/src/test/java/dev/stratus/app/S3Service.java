package dev.stratus.app;

import dev.stratus.storage.s3.TestS3;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;

import org.gaul.s3proxy.blobstore.BlobStore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An S3 service in a process of its own, so that a cluster test can kill it (an outage) and start it again on the
 * same port and files: s3proxy over a directory, checking SigV4 signatures with {@link TestS3}'s credentials.
 * {@code S3Service PORT DIR BUCKET}: prints {@code s3 ready} once it answers. Counts the requests it serves by kind
 * into {@code DIR-requests.properties} (beside DIR) (rewritten each second), for the cost model in docs/benchmarks.md.
 */
public final class S3Service {
    private S3Service() {}

    /** The object requests a client can make, by the blob store call that serves each (one call per request). */
    private static final Map<String, String> REQUESTS = Map.of("putBlob", "PUT", "getBlob", "GET", "blobMetadata", "HEAD",
            "removeBlob", "DELETE", "removeBlobs", "DELETE_MULTIPLE", "list", "LIST", "initiateMultipartUpload", "MULTIPART_CREATE",
            "uploadMultipartPart", "MULTIPART_PART", "completeMultipartUpload", "MULTIPART_COMPLETE", "abortMultipartUpload", "MULTIPART_ABORT");

    /** The store, counting the calls that serve object requests; the counts written to {@code file} each second. */
    private static BlobStore counted(BlobStore store, Path file) {
        Map<String, LongAdder> counts = new ConcurrentSkipListMap<>();
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                    StringBuilder sb = new StringBuilder();
                    counts.forEach((k, v) -> sb.append(k).append('=').append(v.sum()).append('\n'));
                    Files.writeString(file, sb);
                } catch (Exception e) {
                    return;
                }
            }
        });
        return (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class}, (proxy, method, args) -> {
            String kind = REQUESTS.get(method.getName());
            if (kind != null) { // s3proxy's HTTP handler calls the store once per such request (no call passes here twice)
                counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
            }
            try {
                return method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) throw new IllegalArgumentException("usage: S3Service PORT DIR BUCKET");
        int port = Integer.parseInt(args[0]);
        Path dir = Files.createDirectories(Path.of(args[1]));
        FilesystemNio2BlobStore store = new FilesystemNio2BlobStore(dir.toString());
        if (!Files.isDirectory(dir.resolve(args[2]))) store.createContainer(CreateBucketRequest.builder().bucket(args[2]).build());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(counted(store, dir.resolveSibling(dir.getFileName() + "-requests.properties")))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, TestS3.ACCESS_KEY, TestS3.SECRET_KEY)
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) Thread.sleep(10);
        System.out.println("s3 ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
