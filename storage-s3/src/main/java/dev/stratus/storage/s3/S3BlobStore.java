package dev.stratus.storage.s3;

import dev.stratus.storage.BlobNotFoundException;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.BoundedInputStream;
import dev.stratus.storage.Futures;
import dev.stratus.storage.S3Options;
import dev.stratus.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Blobs as objects in an S3 bucket (AWS or any S3-compatible service), under a key prefix. S3 makes an object
 * visible only once a PUT (or the completion of a multipart upload) has succeeded, and durable then: a reader never
 * sees half an object, and a failed upload leaves nothing under the key.
 * <ul>
 * <li>Writes stream: up to one part is held in memory ({@link #partSize}, at least S3's 5 MiB); a larger object goes
 * up as a multipart upload, aborted when it fails. A local file is read from disk part by part, never buffered.
 * <li>Reads are ranged GETs: frames and bulk data fetch their bytes only, and {@link #open} fetches a first window of
 * {@link #HEAD_WINDOW} bytes, so a header parse that stops before the pixel data costs one small request.
 * <li>Checksums: the SDK adds flexible checksums only where an operation requires one (and validates responses
 * likewise): the defaults of SDK 2.30 and later (aws-chunked uploads with trailing CRCs) are refused by many
 * S3-compatible services. docs/decisions/0003 says why that is safe.
 * <li>Failures to reach the service (connection refused, timeouts, 5xx, throttling, credentials refused) are
 * {@link StorageUnavailableException}s naming the bucket and endpoint: the web layer answers 503.
 * </ul>
 */
public final class S3BlobStore implements BlobStore {
    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
    /** S3's smallest part (all but the last); also the size below which an object is one PUT. */
    static final int MIN_PART = 5 << 20;
    static final int DEFAULT_PART = 8 << 20;
    /** S3 allows at most this many parts in one upload. */
    private static final int MAX_PARTS = 10_000;
    /** First bytes an {@link #open} fetches: the header of nearly every instance (the ingest spool keeps as much). */
    static final int HEAD_WINDOW = 64 * 1024;
    /** Uploads at once: a placement waits for a place beyond this, so reads keep connections of the pool. */
    private static final int MAX_UPLOADS = 32;
    private static final int MAX_CONNECTIONS = 64;
    private static final String OCTETS = "application/octet-stream";

    private final S3Client client;
    private final S3Location location;
    private final String where;
    private final int partSize;
    private final ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore uploadPlaces = new Semaphore(MAX_UPLOADS);

    S3BlobStore(S3Client client, S3Location location, S3Options options, int partSize) {
        if (partSize < MIN_PART) throw new IllegalArgumentException("an S3 part holds at least " + MIN_PART + " bytes");
        this.client = client;
        this.location = location;
        this.where = location + (options.endpoint() != null ? " at " + options.endpoint() : "");
        this.partSize = partSize;
    }

    /** Opens the store; nothing is sent yet (a service that is down shows in {@link #checkReady} and each call). */
    public static S3BlobStore open(S3Location location, S3Options options) {
        return new S3BlobStore(client(options).build(), location, options, DEFAULT_PART);
    }

    /**
     * The client: Apache HttpClient 5 with a bounded pool, credentials from the SDK's default chain, and checksums
     * only where an operation requires them.
     */
    static S3ClientBuilder client(S3Options options) {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(MAX_CONNECTIONS)
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60))
                        .connectionAcquisitionTimeout(Duration.ofSeconds(60)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Plain bodies, never aws-chunked: over http the payload's SHA-256 is signed instead (the body is read
                // twice, from memory or the spool file), over https TLS guards it. docs/decisions/0003.
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(options.pathStyle())
                        .chunkedEncodingEnabled(false)
                        .build());
        if (options.endpoint() != null) b.endpointOverride(options.endpoint());
        if (options.region() != null) b.region(Region.of(options.region()));
        else if (options.endpoint() != null) b.region(Region.US_EAST_1); // most S3-compatible services ignore it; SigV4 needs one
        return b;
    }

    // ---- writes

    @Override
    public long put(String key, InputStream data) throws IOException {
        String objectKey = location.objectKey(key);
        byte[] part = data.readNBytes(partSize); // as large as the stream, for the small ones (metadata documents)
        try {
            if (part.length < partSize) {
                putObject(objectKey, RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part), part.length, OCTETS));
                return part.length;
            }
            long[] size = {0};
            boolean[] first = {true};
            multipart(key, objectKey, () -> {
                int n = first[0] ? part.length : data.readNBytes(part, 0, part.length); // one buffer for every part
                first[0] = false;
                size[0] += n;
                return n == 0 ? null : RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, n), n, OCTETS);
            });
            return size[0];
        } catch (SdkException e) {
            throw failure("store", key, e);
        }
    }

    /**
     * Starts the upload on a virtual thread and returns at once: S3 makes the object visible and durable only when
     * its PUT has succeeded, so the key (fresh, referred to by nothing until the caller indexes it after
     * {@link Placement#await()}) holds either nothing or the whole object, whenever a reader or a crash comes.
     * Uploading here rather than synchronously lets a batch's instances go up together and a large one go up while
     * the next part of its request arrives; at most {@link #MAX_UPLOADS} run at once. The file is deleted when done.
     */
    @Override
    public Placement place(StagedFile f) throws IOException {
        location.objectKey(f.key()); // a refused key moves nothing
        long size = Files.size(f.file());
        Future<?> upload = uploads.submit(() -> {
            uploadPlaces.acquire();
            try {
                uploadFile(f.key(), f.file(), size);
            } finally {
                uploadPlaces.release();
                Files.deleteIfExists(f.file());
            }
            return null;
        });
        return () -> Futures.await(upload, "store " + f.key() + " in " + where);
    }

    @Override
    public long putFile(String key, Path file) throws IOException {
        long size = Files.size(file);
        place(new StagedFile(key, file)).await();
        return size;
    }

    private void uploadFile(String key, Path file, long size) throws IOException {
        String objectKey = location.objectKey(key);
        try {
            if (size <= partSize) {
                putObject(objectKey, RequestBody.fromContentProvider(() -> slice(file, 0, size), size, OCTETS));
                return;
            }
            // Parts grow past partSize only for objects beyond MAX_PARTS of them (80 GB at 8 MiB).
            long partBytes = Math.max(partSize, Math.ceilDiv(size, MAX_PARTS));
            long[] offset = {0};
            multipart(key, objectKey, () -> {
                if (offset[0] >= size) return null;
                long from = offset[0], length = Math.min(partBytes, size - from);
                offset[0] += length;
                return RequestBody.fromContentProvider(() -> slice(file, from, length), length, OCTETS);
            });
        } catch (SdkException e) {
            throw failure("store", key, e);
        }
    }

    /** Bytes of a file, opened anew for each attempt of a request (the SDK retries with a fresh stream). */
    private static InputStream slice(Path file, long from, long length) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            try {
                ch.position(from);
                return new BoundedInputStream(Channels.newInputStream(ch), length);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void putObject(String objectKey, RequestBody body) {
        client.putObject(b -> b.bucket(location.bucket()).key(objectKey).contentType(OCTETS), body);
    }

    /** The parts of one upload, in order: a request body each, null after the last. */
    private interface Parts {
        RequestBody next() throws IOException;
    }

    /** A multipart upload; aborted on any failure, so that no incomplete upload is left to pay for. */
    private void multipart(String key, String objectKey, Parts parts) throws IOException {
        String uploadId = client.createMultipartUpload(b -> b.bucket(location.bucket()).key(objectKey).contentType(OCTETS)).uploadId();
        try {
            List<CompletedPart> done = new ArrayList<>();
            for (RequestBody body = parts.next(); body != null; body = parts.next()) {
                int number = done.size() + 1;
                if (number > MAX_PARTS) {
                    throw new IOException("object " + key + " is larger than S3 allows in one upload (" + MAX_PARTS + " parts of " + partSize + " bytes)");
                }
                String etag = client.uploadPart(b -> b.bucket(location.bucket()).key(objectKey).uploadId(uploadId).partNumber(number), body).eTag();
                done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            client.completeMultipartUpload(b -> b.bucket(location.bucket()).key(objectKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done)));
        } catch (IOException | RuntimeException | Error e) {
            try {
                client.abortMultipartUpload(b -> b.bucket(location.bucket()).key(objectKey).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                // A bucket lifecycle rule (AbortIncompleteMultipartUpload) removes it later; the object never existed.
                log.warn("could not abort the multipart upload {} of {} in {}: {}", uploadId, key, where, abortFailed.toString());
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    // ---- reads

    @Override
    public InputStream open(String key) throws IOException {
        return new ObjectStream(this, key, location.objectKey(key), 0, Long.MAX_VALUE, HEAD_WINDOW);
    }

    @Override
    public InputStream openRange(String key, long offset, long length) throws IOException {
        String objectKey = location.objectKey(key);
        if (offset < 0 || length < 0) throw new IllegalArgumentException("negative offset or length: " + offset + "+" + length);
        if (length == 0) {
            if (size(key) < 0) throw new BlobNotFoundException(key);
            return InputStream.nullInputStream();
        }
        long end = Long.MAX_VALUE - offset < length ? Long.MAX_VALUE : offset + length;
        return new ObjectStream(this, key, objectKey, offset, end, 0);
    }

    /**
     * GETs bytes {@code from} up to {@code to} (exclusive; Long.MAX_VALUE: to the end), only if the object still has
     * the {@code etag} (when not null). Returns null when the range starts at or after the object's end.
     */
    ResponseInputStream<GetObjectResponse> get(String key, String objectKey, long from, long to, String etag) throws IOException {
        String range = "bytes=" + from + "-" + (to == Long.MAX_VALUE ? "" : String.valueOf(to - 1));
        try {
            return client.getObject(b -> b.bucket(location.bucket()).key(objectKey).range(range).ifMatch(etag));
        } catch (S3Exception e) {
            if (e.statusCode() == 416) return null; // InvalidRange: nothing at or after this offset
            if (e.statusCode() == 412) throw new IOException("blob " + key + " in " + where + " was replaced while it was read", e);
            throw failure("read", key, e);
        } catch (SdkException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public long size(String key) throws IOException {
        String objectKey = location.objectKey(key);
        try {
            return client.headObject(b -> b.bucket(location.bucket()).key(objectKey)).contentLength();
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) return -1; // a HEAD answer has no error code
            throw failure("look up", key, e);
        } catch (SdkException e) {
            throw failure("look up", key, e);
        }
    }

    // ---- maintenance

    @Override
    public void delete(String key) throws IOException {
        String objectKey = location.objectKey(key);
        try {
            // One DeleteObject per key, never DeleteObjects: that one requires a checksum, which the SDK now sends as a
            // CRC32 header that many S3-compatible services refuse (they want Content-MD5).
            client.deleteObject(b -> b.bucket(location.bucket()).key(objectKey));
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public void walk(String prefix, Consumer<Listed> visitor) throws IOException {
        String listPrefix = location.listPrefix(prefix);
        try {
            for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(listPrefix)).contents()) {
                String key = location.blobKey(o.key());
                if (key != null) visitor.accept(new Listed(key, o.size(), o.lastModified())); // others are not this store's
            }
        } catch (SdkException e) {
            throw failure("list", prefix.isEmpty() ? "the blobs" : "the blobs under " + prefix, e);
        }
    }

    @Override
    public void checkReady() throws IOException {
        try {
            client.headBucket(b -> b.bucket(location.bucket()));
        } catch (S3Exception e) {
            throw new StorageUnavailableException("object storage unavailable: the bucket of " + where + " cannot be used: "
                    + describe(e), e);
        } catch (SdkException e) {
            throw new StorageUnavailableException("object storage unavailable: " + where + " cannot be reached: " + e.getMessage(), e);
        }
    }

    /** Waits for the uploads under way, then closes the client. */
    @Override
    public void close() {
        uploads.close();
        client.close();
    }

    @Override
    public String toString() {
        return where;
    }

    /**
     * The IOException a failed call becomes: not found for an absent key, unavailable when the service is out of
     * reach or refuses service (retrying later may work), a plain IOException otherwise.
     */
    IOException failure(String action, String key, SdkException e) {
        if (e instanceof NoSuchKeyException) return new BlobNotFoundException(key);
        String what = "could not " + action + " " + key + " in " + where;
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            if (status >= 500 || status == 401 || status == 403 || "NoSuchBucket".equals(errorCode(s3))) {
                return new StorageUnavailableException("object storage unavailable: " + what + ": " + describe(s3), e);
            }
            return new IOException(what + ": " + describe(s3), e);
        }
        if (e instanceof SdkClientException) {
            return new StorageUnavailableException("object storage unavailable: " + what + ": " + e.getMessage(), e);
        }
        return new IOException(what + ": " + e.getMessage(), e);
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static String describe(S3Exception e) {
        String code = errorCode(e);
        return (code != null ? code + " " : "") + "(HTTP " + e.statusCode() + ")";
    }
}
