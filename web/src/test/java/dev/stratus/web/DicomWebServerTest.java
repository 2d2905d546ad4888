package dev.stratus.web;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping the server: requests in flight finish (within the timeout), new connections are refused at once. */
class DicomWebServerTest {
    @TempDir
    Path dir;

    /** A STOW request sent by hand: its headers and the first half of its body now, the rest when asked. */
    private static final class SlowStow implements AutoCloseable {
        final Socket socket = new Socket();
        final byte[] body;

        SlowStow(URI base, Multipart multipart) throws IOException {
            body = multipart.bytes();
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(60_000);
            String head = "POST /dicomweb/studies HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nContent-Type: " + multipart.contentType() + "\r\nAccept: application/dicom+json\r\nContent-Length: "
                    + body.length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
        }

        /** Sends the rest of the body and returns the response's status line and headers and body, as text. */
        String finish() throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(Arrays.copyOfRange(body, body.length / 2, body.length));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // the server closes: it is stopping
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static boolean refusesConnections(URI base) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 1_000);
            return false;
        } catch (ConnectException refused) {
            return true;
        }
    }

    @Test
    void aStowInFlightWhenTheServerStopsCompletesAndIsStoredWhileNewConnectionsAreRefused() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            URI base = URI.create(archive.base);
            String study = Uids.generate(), sop = Uids.generate();
            byte[] file = GeneratedCt.part10(GeneratedCt.ct(study, Uids.generate(), sop, "Slow^Sender", "GS1", 1, 8),
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            try (SlowStow stow = new SlowStow(base, new Multipart().part(file).end())) {
                Thread.sleep(1_000); // the handler is reading the body
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> archive.server.stop(Duration.ofSeconds(30)));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!refusesConnections(base) && System.nanoTime() < deadline) Thread.sleep(50);
                assertTrue(refusesConnections(base), "a new connection is refused once the stop began");
                Thread.sleep(2_000); // a client pausing longer than Jetty's 1 s shutdown idle timeout is not cut off
                assertTrue(!stopping.isDone(), "the stop waits for the request in flight");

                String response = stow.finish();
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
                assertTrue(response.contains(sop), response);
                stopping.get(30, TimeUnit.SECONDS);
            }
            assertEquals(1, archive.index.listInstances(TenantId.DEFAULT, study, null).size(), "the instance acknowledged is stored");
        }
    }

    @Test
    void aRequestThatOutlastsTheTimeoutIsCutOffAndTheStopReturns() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            byte[] file = GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "Never^Done", "GS2", 1, 8),
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            try (SlowStow stow = new SlowStow(URI.create(archive.base), new Multipart().part(file).end())) {
                Thread.sleep(1_000);
                long start = System.nanoTime();
                archive.server.stop(Duration.ofSeconds(1));
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ms < 10_000, "stopped after " + ms + " ms");
                assertTrue(ms >= 900, "waited for the request before cutting it off: " + ms + " ms");
            }
        }
    }
}
