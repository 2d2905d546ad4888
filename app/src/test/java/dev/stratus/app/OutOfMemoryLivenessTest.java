package dev.stratus.app;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real OutOfMemoryError inside a request handler, in a server started without -XX:+ExitOnOutOfMemoryError: the
 * process limps on (the garbage of the failed parse is collected), and /health/live says DOWN so that a supervisor
 * restarts it.
 */
class OutOfMemoryLivenessTest {
    @TempDir
    Path dir;

    @Test
    void anOutOfMemoryErrorInAStowHandlerTurnsLiveDown() throws Exception {
        // The parse budget raised to its ceiling, so that the heap, not the budget, stops the parse.
        Map<String, String> env = Map.of("STRATUS_INGEST_MAX_ELEMENTS", "50000000", "STRATUS_METADATA_WORKER", "false",
                "STRATUS_STORAGE_RESERVE_BYTES", "0");
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir.resolve("server.log"), List.of("--no-dimse"), env, "-Xmx64m")) {
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(200, live(http, server).statusCode());

            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("\r\n--oom\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "Out^OfMemory", "OOM", 1),
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            // a private sequence after Pixel Data of 4,000,000 empty items: 32 MB on the wire, ~400 MB of heap parsed
            body.writeBytes(new byte[] {(byte) 0xE1, 0x7F, 0x10, 0x10, 'S', 'Q', 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            byte[] item = {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 0, 0, 0, 0};
            for (int i = 0; i < 4_000_000; i++) body.writeBytes(item);
            body.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0});
            body.writeBytes("\r\n--oom--\r\n".getBytes(StandardCharsets.US_ASCII));
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.base + "/dicomweb/studies"))
                        .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=oom")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(r.statusCode() >= 500, r.statusCode() + " " + r.body() + server.log());
            } catch (IOException cutOff) {
                // the answer may be lost with the connection: what matters is what the process says of itself next
            }

            HttpResponse<String> live = live(http, server);
            assertEquals(503, live.statusCode(), live.body() + server.log());
            assertTrue(live.body().contains("\"status\":\"DOWN\"") && live.body().contains("OutOfMemoryError"), live.body());
            assertTrue(server.isAlive(), "started without ExitOnOutOfMemoryError, the process still runs" + server.log());
        }
    }

    private static HttpResponse<String> live(HttpClient http, ServerProcess server) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.base + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
