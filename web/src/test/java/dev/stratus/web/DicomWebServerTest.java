package dev.stratus.web;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping the server: requests in flight finish (within the timeout), new connections are refused at once. */
class DicomWebServerTest {
    @TempDir
    Path dir;

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
