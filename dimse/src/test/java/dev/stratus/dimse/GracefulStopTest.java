package dev.stratus.dimse;

import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.dimse.message.Status;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stop lets an association in progress finish (the modality's study goes in whole) and refuses new ones. */
@Timeout(60)
class GracefulStopTest {
    static final String CT = GeneratedCt.CT_IMAGE_STORAGE;

    @TempDir
    Path dir;

    private static byte[] ct(String sop) throws Exception {
        return DicomWriter.encode(GeneratedCt.ct(Uids.generate(), Uids.generate(), sop, "Stop^Test", "ST1", 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void anAssociationInProgressFinishesItsStoresWhileNewConnectionsAreRefused() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            String first = Uids.generate(), second = Uids.generate();
            try (TestPeer peer = new TestPeer(archive.port)) {
                peer.associate(TestPeer.rq("MODALITY", "STRATUS", 16384, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT)));
                peer.sendMessage(1, Requests.store(1, CT, first), ct(first), 16000);
                assertEquals(Status.SUCCESS, peer.readMessage().command().status());

                CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> archive.server.stop(Duration.ofSeconds(30)));
                for (int i = 0; i < 100 && canConnect(archive.port); i++) Thread.sleep(20);
                assertFalse(canConnect(archive.port), "a new connection is refused once the stop began");
                Thread.sleep(300);
                assertFalse(stopped.isDone(), "the stop waits for the association in progress");

                peer.sendMessage(1, Requests.store(2, CT, second), ct(second), 16000);
                assertEquals(Status.SUCCESS, peer.readMessage().command().status(), "a store after the stop began is still taken");
                peer.release();
                stopped.get(10, TimeUnit.SECONDS);
            }
            assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, first).isPresent());
            assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, second).isPresent());
        }
    }

    @Test
    void anAssociationLeftOpenIsClosedAtTheDeadline() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            try (TestPeer peer = new TestPeer(archive.port)) {
                peer.associate(TestPeer.rq("MODALITY", "STRATUS", 16384, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT)));
                long started = System.nanoTime();
                archive.server.stop(Duration.ofMillis(500));
                assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(500), "the stop waited for the deadline");
                assertTrue(peer.closedByServer(), "the idle association was closed at the deadline");
                assertThrows(IOException.class, () -> new Socket("127.0.0.1", archive.port).close());
            }
        }
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
