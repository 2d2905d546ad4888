package dev.stratus.loadtest;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;

/** A phase run against one server: its name in the log, its DICOMweb root (no trailing slash), one HTTP/1.1 client. */
abstract class ServerPhase {
    protected final String name, root;
    protected final PrintStream log;
    protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    ServerPhase(String name, String root, PrintStream log) {
        this.name = name;
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.log = log;
    }
}
