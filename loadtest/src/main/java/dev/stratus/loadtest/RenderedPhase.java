package dev.stratus.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rendered phase, after the retrieve (one client): PS3.18 rendered instances ({@code .../instances/{uid}/rendered},
 * image/jpeg, the data set's window) of N instances spread over the corpus, and thumbnails of N others. Each instance
 * is asked twice: the first request is <em>cold</em> (nothing of that instance rendered or cached by the server yet;
 * its file may be in the OS page cache since the STOW), the second <em>warm</em>. The phase's very first request of
 * each kind (the server's rendering code not yet compiled, for a JIT-compiled server) is reported on its own.
 * Thumbnails: Stratus's {@code .../instances/{uid}/thumbnail} (fitted to 128x128, JPEG); Orthanc's DICOMweb plugin
 * has no thumbnail resource, so its REST {@code /instances/{id}/preview} (the whole frame, JPEG asked), the Orthanc
 * ID found by {@code /tools/lookup} beforehand, untimed.
 */
final class RenderedPhase {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern ORTHANC_ID = Pattern.compile("\"ID\"\\s*:\\s*\"([^\"]+)\"");

    private final String name, orthancRest;
    /** The DICOMweb root of the next request (several API nodes take turns, as in the other phases). */
    private final Supplier<String> root;
    private final HttpClient http;
    private final Results results;
    private final PrintStream log;

    /** @param orthancRest Orthanc's REST root (thumbnails as its preview), or null for a server with PS3.18 thumbnails */
    RenderedPhase(String name, Supplier<String> root, String orthancRest, HttpClient http, Results results, PrintStream log) {
        this.name = name;
        this.root = root;
        this.orthancRest = orthancRest;
        this.http = http;
        this.results = results;
        this.log = log;
    }

    void run(Corpus corpus, int count) throws InterruptedException {
        if (count <= 0) return;
        int n = (int) Math.min(count, corpus.instances() / 2);
        List<Corpus.Instance> rendered = new ArrayList<>(), thumbnails = new ArrayList<>();
        for (int j = 0; j < 2 * n; j++) (j % 2 == 0 ? rendered : thumbnails).add(corpus.instance((long) j * corpus.instances() / (2 * n)));
        List<String> renderedUrls = rendered.stream().map(i -> instanceUrl(i) + "/rendered").toList();
        List<String> thumbnailUrls = new ArrayList<>();
        for (Corpus.Instance i : thumbnails) thumbnailUrls.add(orthancRest == null ? instanceUrl(i) + "/thumbnail" : orthancPreview(i));
        log.printf("[%s] rendered: %d instances' /rendered and %d others' %s, each twice (cold, then warm), one client%n", name,
                n, n, orthancRest == null ? "/thumbnail" : "Orthanc /instances/{id}/preview");
        results.put("rendered.instances", n);
        measure("rendered", renderedUrls);
        measure("thumbnail", thumbnailUrls);
    }

    private void measure(String key, List<String> urls) throws InterruptedException {
        List<Double> cold = new ArrayList<>(), warm = new ArrayList<>();
        long errors = 0, bytes = 0;
        String firstError = null;
        for (List<Double> pass : List.of(cold, warm)) {
            for (String url : urls) {
                if (url == null) {
                    errors++;
                    continue;
                }
                long t0 = System.nanoTime();
                try {
                    HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                            .header("Accept", "image/jpeg").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                    double ms = (System.nanoTime() - t0) / 1e6;
                    String type = res.headers().firstValue("Content-Type").orElse("");
                    if (res.statusCode() != 200 || !type.startsWith("image/")) {
                        errors++;
                        if (firstError == null) firstError = "HTTP " + res.statusCode() + " " + type + " for " + url;
                        continue;
                    }
                    if (pass == cold && cold.isEmpty()) results.put(key + ".first_ms", ms);
                    pass.add(ms);
                    bytes += res.body().length;
                } catch (IOException e) {
                    errors++;
                    if (firstError == null) firstError = e + " for " + url;
                }
            }
        }
        results.latencies(key + ".cold", cold);
        results.latencies(key + ".warm", warm);
        results.put(key + ".errors", errors);
        results.put(key + ".mean_kb", cold.size() + warm.size() == 0 ? 0 : bytes / 1e3 / (cold.size() + warm.size()));
        if (firstError != null) results.put(key + ".first_error", firstError);
        log.printf("[%s]   %s: first %.1f ms, cold p50 %.1f ms, warm p50 %.1f ms%s%n", name, key, results.number(key + ".first_ms"),
                results.number(key + ".cold.p50_ms"), results.number(key + ".warm.p50_ms"), errors > 0 ? " (" + errors + " errors: " + firstError + ")" : "");
    }

    private String instanceUrl(Corpus.Instance i) {
        return root.get() + "/studies/" + i.series().study().uid() + "/series/" + i.series().uid() + "/instances/" + i.uid();
    }

    /** Orthanc's preview of the instance (its ID looked up by SOP Instance UID), or null if Orthanc does not know it. */
    private String orthancPreview(Corpus.Instance i) throws InterruptedException {
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(orthancRest + "/tools/lookup")).timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString(i.uid(), StandardCharsets.US_ASCII)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = ORTHANC_ID.matcher(res.body());
            return res.statusCode() == 200 && m.find() ? orthancRest + "/instances/" + m.group(1) + "/preview" : null;
        } catch (IOException e) {
            return null;
        }
    }
}
