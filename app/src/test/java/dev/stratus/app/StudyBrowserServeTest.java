package dev.stratus.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `stratus serve` answers http://host:port/ with the study browser, and serves the viewer installed where viewer.dir
 * (STRATUS_VIEWER_DIR) says, configured for its own DICOMweb root. The browser's behaviour is web's StudyBrowserTest.
 */
class StudyBrowserServeTest {
    @TempDir
    Path dir;

    @Test
    void servesTheStudyBrowserAndTheViewerOfViewerDir() throws Exception {
        Path viewer = Files.createDirectories(dir.resolve("ohif"));
        Files.writeString(viewer.resolve("index.html"), "<script>window.PUBLIC_URL=\"/\"</script><script src=\"/app-config.js\"></script>");
        HttpClient http = HttpClient.newHttpClient();
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir.resolve("server.log"), List.of("--no-dimse"),
                Map.of("STRATUS_VIEWER_DIR", viewer.toString()))) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.base + "/")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create(server.base + "/ui/app.js")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> config = http.send(HttpRequest.newBuilder(URI.create(server.base + "/viewer/app-config.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertAll(server.log(),
                    () -> assertEquals(200, page.statusCode()),
                    () -> assertTrue(page.body().contains("<title>Stratus: studies</title>"), page.body()),
                    () -> assertTrue(page.body().contains("<meta name=\"stratus-viewer\" content=\"true\">"), "the viewer of viewer.dir is offered"),
                    () -> assertEquals(200, script.statusCode()),
                    () -> assertTrue(config.body().contains("qidoRoot: window.location.origin + '/dicomweb'"), config.body()));
        }
    }
}
