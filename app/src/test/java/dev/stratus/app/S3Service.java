package dev.stratus.app;

import dev.stratus.storage.s3.TestS3;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An S3 service in a process of its own, so that a cluster test can kill it (an outage) and start it again on the
 * same port and files: s3proxy over a directory, checking SigV4 signatures with {@link TestS3}'s credentials.
 * {@code S3Service PORT DIR BUCKET}: prints {@code s3 ready} once it answers.
 */
public final class S3Service {
    private S3Service() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) throw new IllegalArgumentException("usage: S3Service PORT DIR BUCKET");
        int port = Integer.parseInt(args[0]);
        Path dir = Files.createDirectories(Path.of(args[1]));
        FilesystemNio2BlobStore store = new FilesystemNio2BlobStore(dir.toString());
        if (!Files.isDirectory(dir.resolve(args[2]))) store.createContainer(CreateBucketRequest.builder().bucket(args[2]).build());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
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
