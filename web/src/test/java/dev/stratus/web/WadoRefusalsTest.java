package dev.stratus.web;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests for bytes an instance does not have are refused with a 4xx that says so, never a 500. */
class WadoRefusalsTest {
    @TempDir
    Path dir;
    TestArchive archive;
    String instancePath;

    @BeforeEach
    void storeAThreeFrameInstance() throws Exception {
        archive = new TestArchive(dir);
        String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
        DataSet ct = GeneratedCt.ct(study, series, sop, "Refused^Range", "WR1", 1, 3);
        assertEquals(200, archive.stow("/dicomweb/studies",
                new Multipart().part(GeneratedCt.part10(ct, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).end()).statusCode());
        instancePath = "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop;
    }

    @AfterEach
    void stop() {
        archive.close();
    }

    private HttpResponse<String> get(String path, String accept, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(archive.base + instancePath + path)).header("Accept", accept);
        if (range != null) b.header("Range", range);
        return archive.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bulkDataOutsideTheInstanceIs416WithItsSizeInEitherMediaType() throws Exception {
        for (String accept : new String[] {"application/octet-stream", "multipart/related; type=\"application/octet-stream\""}) {
            HttpResponse<String> r = get("/bulkdata/999999-100", accept, null);
            assertEquals(416, r.statusCode(), accept + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Range").orElse("").matches("bytes \\*/\\d+"), r.headers().map().toString());
            assertTrue(r.body().contains("outside"), r.body());
        }
    }

    @Test
    void rangeNumbersBeyondALongAreUnderstoodNotA500() throws Exception {
        String huge = "99999999999999999999999";
        HttpResponse<String> start = get("/bulkdata/0-100", "application/octet-stream", "bytes=" + huge + "-");
        assertEquals(416, start.statusCode(), start.body());
        assertEquals("bytes */100", start.headers().firstValue("Content-Range").orElse(""));
        HttpResponse<String> end = get("/bulkdata/0-100", "application/octet-stream", "bytes=90-" + huge);
        assertEquals(206, end.statusCode(), end.body());
        assertEquals("bytes 90-99/100", end.headers().firstValue("Content-Range").orElse(""));
        HttpResponse<String> suffix = get("/bulkdata/0-100", "application/octet-stream", "bytes=-" + huge);
        assertEquals(206, suffix.statusCode(), suffix.body());
        assertEquals("bytes 0-99/100", suffix.headers().firstValue("Content-Range").orElse(""));
    }

    @Test
    void aFrameListNamingAFrameTwiceIs400NamingIt() throws Exception {
        String frames = String.join(",", Collections.nCopies(3000, "2"));
        HttpResponse<String> r = get("/frames/" + frames, "multipart/related; type=application/octet-stream", null);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("frame 2 more than once"), r.body());
        HttpResponse<String> distinct = get("/frames/3,1,2", "multipart/related; type=application/octet-stream", null);
        assertEquals(200, distinct.statusCode(), distinct.body());
    }

    @Test
    void anInternalErrorSaysOnlyThatWithACorrelationIdAndNoPathOrClassName() throws Exception {
        try (Stream<Path> files = Files.walk(archive.blobs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.delete(f); // the disk lost the blob under the index
        }
        HttpResponse<String> r = get("/frames/1", "multipart/related; type=application/octet-stream", null);
        assertEquals(500, r.statusCode(), r.body());
        String id = r.headers().firstValue("X-Correlation-ID").orElse("");
        assertTrue(id.matches("[0-9a-f]{16}"), r.headers().map().toString());
        assertEquals("{\"status\":500,\"message\":\"internal error (correlation id " + id + ")\",\"correlationId\":\"" + id + "\"}", r.body());
        assertFalse(r.body().contains(dir.toString()) || r.body().contains("Exception"), r.body());
    }
}
