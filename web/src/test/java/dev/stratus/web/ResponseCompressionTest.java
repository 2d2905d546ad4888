package dev.stratus.web;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A browser sends Accept-Encoding: gzip with every request: JSON is gzipped, DICOM parts and pixel data are not
 * (they compress little, and a viewer asks for hundreds of frames).
 */
class ResponseCompressionTest {
    @TempDir
    Path dir;
    TestArchive archive;
    byte[] file;
    String study, instance;

    @BeforeEach
    void start() throws Exception {
        archive = new TestArchive(dir, TestBackend.SQLITE);
        file = Files.readAllBytes(TestFiles.file("CT_small.dcm"));
        assertEquals(200, archive.stow("/dicomweb/studies", new Multipart().part(file).end()).statusCode());
        DataSet ds = DicomReader.read(file).dataSet();
        study = "/dicomweb/studies/" + ds.getString(Tag.StudyInstanceUID);
        instance = study + "/series/" + ds.getString(Tag.SeriesInstanceUID) + "/instances/" + ds.getString(Tag.SOPInstanceUID);
    }

    @AfterEach
    void stop() {
        archive.close();
    }

    private HttpResponse<byte[]> get(String path, String accept) throws Exception {
        return archive.send(HttpRequest.newBuilder(URI.create(archive.base + path)).header("Accept", accept)
                .header("Accept-Encoding", "gzip, deflate, br"));
    }

    @Test
    void studyRetrieveIsSentUncompressedToAClientThatAcceptsGzip() throws Exception {
        HttpResponse<byte[]> r = get(study, "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals(200, r.statusCode());
        assertEquals(Optional.empty(), r.headers().firstValue("Content-Encoding"));
        assertTrue(r.body().length > file.length, "the multipart body holds the stored file");
    }

    @Test
    void singlePartFrameIsSentUncompressedToAClientThatAcceptsGzip() throws Exception {
        HttpResponse<byte[]> r = get(instance + "/frames/1", "application/octet-stream");
        assertEquals(200, r.statusCode());
        assertEquals(Optional.empty(), r.headers().firstValue("Content-Encoding"));
        assertEquals(128 * 128 * 2, r.body().length);
    }

    @Test
    void searchResultsAreGzippedForAClientThatAcceptsGzip() throws Exception {
        HttpResponse<byte[]> r = get(study + "/instances?includefield=all", "application/dicom+json");
        assertEquals(200, r.statusCode());
        assertEquals(Optional.of("gzip"), r.headers().firstValue("Content-Encoding"));
        String json = new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("[{") && json.contains("\"00080018\""), json);
    }
}
