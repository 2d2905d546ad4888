package dev.stratus.app;

import dev.stratus.codec.Uids;
import dev.stratus.storage.s3.TestS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `stratus serve --storage-url s3://…` as an operator runs it against an S3-compatible service (s3proxy in this JVM). */
class S3StorageServeTest {
    @TempDir
    Path dir;

    @Test
    void storesIntoTheBucketAndServesFromItWithCredentialsFromTheEnvironment() throws Exception {
        String bucket = TestS3.freshBucket();
        Map<String, String> credentials = Map.of("AWS_ACCESS_KEY_ID", TestS3.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", TestS3.SECRET_KEY);
        List<String> options = List.of("--no-dimse", "--storage-url", "s3://" + bucket + "/site-a",
                "--s3-endpoint", TestS3.endpoint().toString(), "--s3-path-style");
        Path data = dir.resolve("data");
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        byte[] instance = ArchiveClient.instance(study, series, sop, 3);
        try (ServerProcess server = ServerProcess.start(data, dir.resolve("server.log"), options, credentials)) {
            ArchiveClient client = new ArchiveClient(server, data);
            assertEquals(200, client.stow(ArchiveClient.multipart(instance)).statusCode(), server.log());
            assertArrayEquals(instance, client.retrieve(study, series, sop), "served back byte for byte from the bucket");
        }

        List<S3Object> objects = TestS3.admin().listObjectsV2(b -> b.bucket(bucket)).contents();
        assertTrue(objects.stream().anyMatch(o -> o.key().startsWith("site-a/") && o.size() == instance.length),
                "the instance is an object under the prefix: " + objects);
        assertTrue(objects.stream().allMatch(o -> o.key().startsWith("site-a/")), "nothing outside the prefix: " + objects);
        assertFalse(holdsFileOfSize(data, instance.length), "no local copy of the object in the data directory");

        // a restarted node serves what the bucket holds: the index and the bucket are the whole state
        try (ServerProcess again = ServerProcess.start(data, dir.resolve("again.log"), options, credentials)) {
            assertArrayEquals(instance, new ArchiveClient(again, data).retrieve(study, series, sop));
        }
    }

    @Test
    void aBucketThatCannotBeReachedMakesTheNodeNotReadyAndStowsAnswer503WithTheBucketInTheLog() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.stratus.app.Main", "serve", "--port", String.valueOf(port), "--no-dimse",
                "--data-dir", dir.resolve("data").toString(), "--storage-url", "s3://no-such-bucket-here",
                "--s3-endpoint", TestS3.endpoint().toString(), "--s3-path-style")
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
        builder.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", TestS3.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", TestS3.SECRET_KEY));
        Process p = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            HttpResponse<String> ready = null;
            // the node listens while its archive opens ("starting"): wait for the answer about the store itself
            for (int i = 0; i < 240 && (ready == null || ready.body().contains("starting")) && p.isAlive(); i++) {
                try {
                    ready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                    if (ready.body().contains("starting")) Thread.sleep(250);
                } catch (IOException notYet) {
                    Thread.sleep(250);
                }
            }
            assertTrue(ready != null, "the node starts (an outage of the object store is no reason to exit): " + Files.readString(dir.resolve("server.log")));
            assertEquals(503, ready.statusCode(), ready.body());
            // the reason goes to the log under the answer's correlation id (an open endpoint does not describe the infrastructure)
            String id = ready.body().replaceAll(".*\"correlationId\":\"([0-9a-f]+)\".*", "$1");
            String log = Files.readString(dir.resolve("server.log"));
            assertTrue(log.lines().anyMatch(l -> l.contains(id) && l.contains("no-such-bucket-here")) || log.contains("no-such-bucket-here"),
                    "the log names the bucket: " + log);

            String study = Uids.generate();
            HttpResponse<String> stow = http.send(HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies"))
                    .header("Content-Type", ArchiveClient.STOW_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ArchiveClient.multipart(ArchiveClient.instance(study, Uids.generate(), Uids.generate(), 1))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, stow.statusCode(), stow.body());
            assertTrue(stow.headers().firstValue("Retry-After").isPresent(), "says when to try again");
            HttpResponse<String> search = http.send(HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies?StudyInstanceUID=" + study)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertFalse(search.body().contains(study), "nothing half-stored is indexed: " + search.body());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    private static boolean holdsFileOfSize(Path root, long size) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> {
                try {
                    return Files.size(f) == size;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }
}
