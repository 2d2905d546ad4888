package dev.stratus.app.tools;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.json.DicomJsonReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Imports into a running server: each batch is one STOW-RS request (PS3.18 10.5) whose multipart body streams the
 * items from disk, and the outcomes are read from the Store Instances Response. A server that is busy (503, 429) is
 * asked again after its Retry-After; one that refuses access stops the import.
 */
final class StowTarget implements ImportTarget {
    private static final int MAX_TRIES = 5;
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
    /** The reason in words that Stratus puts beside each failure code (web StowResponse: creator STRATUS, (0009,xx01)). */
    private static final int REASON_TEXT = 0x00091001;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String root;
    private final String token;
    private final Duration requestTimeout;

    /**
     * @param root  the DICOMweb root, e.g. http://host:8080/dicomweb or http://host:8080/tenants/T/dicomweb
     * @param token a bearer token, or null
     */
    StowTarget(String root, String token, Duration requestTimeout) {
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.token = token;
        this.requestTimeout = requestTimeout;
    }

    /** One QIDO-RS search per batch: /instances?SOPInstanceUID=uid1\\uid2... (a list of UIDs, PS3.18 8.3.4.1). */
    @Override
    public Set<String> alreadyStored(Collection<String> sopInstanceUids) throws IOException, InterruptedException {
        if (sopInstanceUids.isEmpty()) return Set.of();
        String list = URLEncoder.encode(String.join("\\", sopInstanceUids), StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = send(request(root + "/instances?SOPInstanceUID=" + list + "&includefield=00080018&limit="
                + sopInstanceUids.size()).header("Accept", "application/dicom+json").GET().build());
        if (r.statusCode() == 204) return Set.of();
        if (r.statusCode() != 200) throw new IOException("the server answered the search for stored instances with " + describe(r));
        Set<String> found = new HashSet<>();
        for (DataSet ds : new DicomJsonReader().readArray(new String(r.body(), StandardCharsets.UTF_8))) {
            String uid = ds.getString(Tag.SOPInstanceUID);
            if (uid != null) found.add(uid);
        }
        return found;
    }

    @Override
    public List<ImportOutcome> store(List<Candidate> batch) throws IOException, InterruptedException {
        String boundary = "stratus-import-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        for (Candidate c : batch) {
            parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n"));
            parts.add(HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    return c.item().open();
                } catch (IOException e) {
                    throw new UncheckedIOException(c.item().name() + ": " + e.getMessage(), e);
                }
            }));
            parts.add(HttpRequest.BodyPublishers.ofString("\r\n"));
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        HttpRequest post = request(root + "/studies")
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new))).build();
        HttpResponse<byte[]> r = send(post);
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/dicom+json") || r.body().length == 0) {
            String why = "the server answered " + describe(r);
            return batch.stream().<ImportOutcome>map(c -> new ImportOutcome.Refused(why)).toList();
        }
        return outcomes(batch, new DicomJsonReader().read(r.body()));
    }

    /** Each candidate's outcome from the response: by SOP Instance UID, and failures that name none in the order given. */
    private static List<ImportOutcome> outcomes(List<Candidate> batch, DataSet response) {
        Set<String> stored = new HashSet<>();
        for (DataSet item : response.getItems(Tag.ReferencedSOPSequence)) stored.add(item.getString(Tag.ReferencedSOPInstanceUID));
        Map<String, String> failedByUid = new HashMap<>();
        List<String> unnamedFailures = new ArrayList<>();
        for (DataSet item : response.getItems(Tag.FailedSOPSequence)) {
            String uid = item.getString(Tag.ReferencedSOPInstanceUID);
            String text = item.getString(REASON_TEXT);
            String reason = (text == null ? "refused" : text) + String.format(" (%04X)", item.getInt(Tag.FailureReason, 0));
            if (uid == null || uid.isEmpty()) unnamedFailures.add(reason);
            else failedByUid.putIfAbsent(uid, reason);
        }
        List<ImportOutcome> outcomes = new ArrayList<>(batch.size());
        int unnamed = 0;
        for (Candidate c : batch) {
            String uid = c.sopInstanceUid();
            if (uid != null && failedByUid.containsKey(uid)) outcomes.add(new ImportOutcome.Refused(failedByUid.get(uid)));
            else if (uid != null && stored.contains(uid)) outcomes.add(new ImportOutcome.Stored(false));
            else if (unnamed < unnamedFailures.size()) outcomes.add(new ImportOutcome.Refused(unnamedFailures.get(unnamed++)));
            else if (uid == null && stored.size() + failedByUid.size() + unnamedFailures.size() == batch.size())
                outcomes.add(new ImportOutcome.Stored(false)); // its header named no UID, but every part is accounted for
            else outcomes.add(new ImportOutcome.Refused("the server's answer does not mention it"));
        }
        return outcomes;
    }

    private HttpRequest.Builder request(String uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(requestTimeout);
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    /** Sends, waiting out a busy server; a refusal of access is the import's end, not an instance's outcome. */
    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            int status = r.statusCode();
            if (status == 401 || status == 403) {
                throw new IOException("the server refused access (" + describe(r) + ")" + (token == null ? "; give a bearer token with --token" : ""));
            }
            if ((status != 503 && status != 429) || attempt == MAX_TRIES) return r;
            long wait = r.headers().firstValue("Retry-After").map(StowTarget::seconds).orElse((long) attempt);
            Thread.sleep(Math.min(Math.max(1, wait), LONGEST_WAIT.toSeconds()) * 1000);
        }
    }

    private static long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.strip());
        } catch (NumberFormatException e) {
            return 5; // an HTTP date: rarer than the seconds form, and a few seconds' wait is as good
        }
    }

    private static String describe(HttpResponse<byte[]> r) {
        String body = new String(r.body(), 0, Math.min(r.body().length, 300), StandardCharsets.UTF_8).replace('\n', ' ').strip();
        return r.statusCode() + (body.isEmpty() ? "" : ": " + body);
    }

    @Override
    public String describe() {
        return root;
    }

    @Override
    public void close() {
        http.close();
    }
}
