package dev.stratus.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * What the end-to-end DICOMweb suite speaks to: an archive's base URL and the client that reaches it, and the two
 * things the suite looks at behind HTTP (the blobs left in its store, its metadata worker). An in-process
 * {@link TestArchive}, or the API nodes of a cluster of the executable (app's ClusterTest).
 */
public interface DicomWebEndpoint extends AutoCloseable {
    /** The base URL the archive names in its answers (RetrieveURL, BulkDataURI). */
    String base();

    HttpClient http();

    /** The keys of the blobs stored under {@code prefix}. */
    List<String> blobs(String prefix) throws Exception;

    /** The metadata worker builds the document of this quiet series (in process: one run; in a cluster: awaited). */
    void buildSeriesMetadata(String studyUid, String seriesUid) throws Exception;

    @Override
    void close();

    default HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    default HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (accept != null) b.header("Accept", accept);
        return http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    default HttpResponse<String> stow(String path, Multipart body) throws IOException, InterruptedException {
        return stow(path, body, "application/dicom+json");
    }

    default HttpResponse<String> stow(String path, Multipart body, String accept) throws IOException, InterruptedException {
        return http().send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", body.contentType())
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
