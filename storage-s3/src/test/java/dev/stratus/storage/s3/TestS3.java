package dev.stratus.storage.s3;

import dev.stratus.storage.S3Options;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process S3 service for tests: s3proxy over its in-memory store, on a free loopback port, started once per
 * JVM and checking SigV4 signatures. Its credentials are set as the aws.accessKeyId / aws.secretAccessKey system
 * properties, so that stores opened here find them through the SDK's default chain as in production.
 */
public final class TestS3 {
    public static final String ACCESS_KEY = "stratus-test";
    public static final String SECRET_KEY = "stratus-test-secret";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Proxy proxy;
    private static URI endpoint;
    private static S3Client admin;

    private TestS3() {}

    /** The service's URL, starting it on first use. */
    public static synchronized URI endpoint() {
        if (proxy == null) {
            System.setProperty("aws.accessKeyId", ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", SECRET_KEY);
            S3Proxy p = S3Proxy.builder()
                    .blobStore(new TransientNio2BlobStore())
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            try {
                p.start();
                while (!p.getState().equals("STARTED")) Thread.sleep(10);
            } catch (Exception e) {
                throw new IllegalStateException("s3proxy did not start", e);
            }
            proxy = p;
            endpoint = URI.create("http://127.0.0.1:" + p.getPort());
            admin = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    .build();
        }
        return endpoint;
    }

    /** Options that reach the service: its endpoint, path style (no DNS names for buckets on loopback). */
    public static S3Options options() {
        return new S3Options(endpoint(), null, true);
    }

    /** A client to look at the service directly, past the store under test. */
    public static synchronized S3Client admin() {
        endpoint();
        return admin;
    }

    /** Creates a bucket no other test uses. */
    public static String freshBucket() {
        String bucket = "bucket-" + BUCKETS.incrementAndGet();
        admin().createBucket(b -> b.bucket(bucket));
        return bucket;
    }
}
