package dev.stratus.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real executable in a child JVM, started as users and scripts start it: {@code serve --port P --data-dir D}. */
final class ServerProcess implements AutoCloseable {
    final String base;
    private final Process process;
    private final Path log;

    private ServerProcess(String base, Process process, Path log) {
        this.base = base;
        this.process = process;
        this.log = log;
    }

    /** Starts the server on a free port and returns once it answers /health/ready. */
    static ServerProcess start(Path dataDir, Path log, String... jvmOptions) throws Exception {
        return start(dataDir, log, List.of(), Map.of(), jvmOptions);
    }

    /** @param serveOptions more options of {@code serve}, e.g. --host */
    static ServerProcess start(Path dataDir, Path log, List<String> serveOptions, String... jvmOptions) throws Exception {
        return start(dataDir, log, serveOptions, Map.of(), jvmOptions);
    }

    /** {@link #start(Path, Path, String...)} with more server options and environment variables. */
    static ServerProcess start(Path dataDir, Path log, List<String> serverOptions, Map<String, String> env,
                               String... jvmOptions) throws Exception {
        int port;
        do { // a free port, and not one the options name (a --dimse-port the caller found free just before: Linux hands it out again)
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
        } while (serverOptions.contains(String.valueOf(port)));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.stratus.app.Main", "serve",
                "--port", String.valueOf(port), "--data-dir", dataDir.toString()));
        command.addAll(serverOptions);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process p = builder.start();
        ServerProcess server = new ServerProcess("http://127.0.0.1:" + port, p, log);
        server.awaitReady();
        return server;
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        // up to 60 s: the cluster tests start several JVMs at once on a small machine
        for (int i = 0; i < 240; i++) {
            if (!process.isAlive()) throw new AssertionError("server exited" + log());
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("server not ready" + log());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no close, as when the process crashes or the machine's OOM killer strikes. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an orchestrator stops a container; returns at once (see {@link #awaitExit}). */
    void terminate() {
        process.destroy();
    }

    /** The exit status, or -1 if the process is still running after {@code seconds}. */
    int awaitExit(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    String log() throws IOException {
        return "\n" + Files.readString(log);
    }

    /** The last {@code lines} lines of the server's output, for failure messages. */
    String logTail(int lines) throws IOException {
        List<String> all = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        return "\n... server log, last lines:\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    long pid() {
        return process.pid();
    }

    /**
     * Heap in use just after a full collection, in bytes: {@code jcmd PID GC.run} (System.gc(), a full collection
     * whatever the collector), then the sum of the heap pools' jvm_memory_used_bytes on /metrics. Read twice
     * after two collections and the smaller kept, so that a request in flight does not count.
     */
    long heapUsedAfterGc() throws Exception {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid()), "GC.run").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) throw new AssertionError("jcmd GC.run failed: " + out);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.eE+-]+)$").matcher(metrics);
            long sum = 0;
            boolean found = false;
            while (m.find()) {
                sum += (long) Double.parseDouble(m.group(1));
                found = true;
            }
            if (!found) throw new AssertionError("no heap jvm_memory_used_bytes on /metrics:\n" + metrics);
            least = Math.min(least, sum);
        }
        return least;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
    }
}
