package dev.stratus.dimse;

import dev.stratus.dimse.message.Status;
import dev.stratus.dimse.pdu.AAbort;
import dev.stratus.dimse.pdu.AAssociateRj;
import dev.stratus.dimse.pdu.Pdu;
import dev.stratus.dimse.pdu.PduEncoder;
import dev.stratus.dimse.pdu.PDataTf;
import dev.stratus.dimse.pdu.Pdv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exhaustion of the DICOM listener (issue 13): silent or trickling connections, from one peer or many, must not
 * keep other peers out, and no deadline can be extended by sending bytes one at a time. Other peers are other
 * loopback addresses (127.0.0.2 and up). Outcomes are asserted under generous timeouts, never durations.
 */
@Timeout(120)
class AssociationLimitsTest {
    static final String VERIFICATION = "1.2.840.10008.1.1";

    @TempDir
    Path dir;

    private static void echo(TestPeer peer) throws IOException {
        peer.associate(TestPeer.pc(1, VERIFICATION, TestPeer.IMPLICIT));
        peer.sendMessage(1, Requests.echo(1), null, 1000);
        assertEquals(Status.SUCCESS, peer.readMessage().command().status());
        peer.release();
    }

    private static Socket silent(int port, String from) throws IOException {
        Socket s = new Socket("127.0.0.1", port, InetAddress.getByName(from), 0);
        s.setSoTimeout(1);
        return s;
    }

    /** Whether the server has closed this socket (end of stream or reset); false while it is still open. */
    private static boolean closedByServer(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // test clean-up
            }
        }
    }

    @Test
    void fiveHundredTwentySilentConnectionsFromOnePeerHoldOnlyItsShareAndAnotherPeerIsServedAtOnce() throws Exception {
        // ARTIM far longer than the test waits: nothing here may depend on silent connections timing out.
        try (TestArchive archive = new TestArchive(dir, s -> s.withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5)))) {
            int perPeer = archive.settings.maxAssociationsPerPeer();
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 520; i++) flood.add(silent(archive.port, "127.0.0.1"));

                try (TestPeer samePeer = new TestPeer(archive.port, "127.0.0.1")) {
                    AAssociateRj rj = TestPeer.rejection(samePeer.associate(TestPeer.rq("TESTPEER", "STRATUS", 16384, null,
                            TestPeer.pc(1, VERIFICATION, TestPeer.IMPLICIT))));
                    assertEquals(List.of(AAssociateRj.REJECTED_TRANSIENT, AAssociateRj.SOURCE_SERVICE_PROVIDER_PRESENTATION, AAssociateRj.LOCAL_LIMIT_EXCEEDED),
                            List.of(rj.result(), rj.source(), rj.reason()), rj.toString());
                }
                try (TestPeer otherPeer = new TestPeer(archive.port, "127.0.0.2")) {
                    echo(otherPeer);
                }

                // Those over the peer's limit are closed within the refusal grace; exactly the peer's share stays.
                boolean[] seenClosed = new boolean[flood.size()];
                int closed = 0;
                for (int round = 0; round < 300 && closed < 520 - perPeer; round++) {
                    for (int i = 0; i < flood.size(); i++) {
                        if (!seenClosed[i] && closedByServer(flood.get(i))) {
                            seenClosed[i] = true;
                            closed++;
                        }
                    }
                    Thread.sleep(100);
                }
                assertEquals(520 - perPeer, closed, "silent connections closed by the server");
                assertEquals(perPeer, archive.server.openAssociations());
            } finally {
                closeAll(flood);
            }
            archive.awaitNoAssociations();
        }
    }

    @Test
    void dcmtkEchoscuIsServedWhileAnotherPeerHoldsFiveHundredTwentySilentConnections() throws Exception {
        Dcmtk.require("echoscu");
        try (TestArchive archive = new TestArchive(dir, s -> s.withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5)))) {
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 520; i++) flood.add(silent(archive.port, "127.0.0.2"));
                Dcmtk.Run r = Dcmtk.run(null, 60, "echoscu", "-v", "-to", "20", "-ta", "20", "-aec", "STRATUS", "127.0.0.1", String.valueOf(archive.port));
                assertEquals(0, r.exitCode(), r.output());
                assertTrue(r.output().contains("Received Echo Response (Success)"), r.output());
            } finally {
                closeAll(flood);
            }
            archive.awaitNoAssociations();
        }
    }

    @Test
    void silentConnectionsFromManyPeersMakeRoomForARealRequest() throws Exception {
        try (TestArchive archive = new TestArchive(dir, s -> s.withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5))
                .withAssociationLimits(500, 50, 8))) {
            List<Socket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) silent.add(silent(archive.port, "127.0.0." + (10 + i))); // one per peer: no per-peer limit applies
                Thread.sleep(DimseSettings.SILENT_AFTER.toMillis() + 500); // now they count as silent
                try (TestPeer realPeer = new TestPeer(archive.port, "127.0.0.2")) {
                    echo(realPeer);
                }
                assertTrue(closedByServerWithin(silent.getFirst(), Duration.ofSeconds(10)), "the oldest silent connection made room");
            } finally {
                closeAll(silent);
            }
            archive.awaitNoAssociations();
        }
    }

    private static boolean closedByServerWithin(Socket s, Duration d) throws InterruptedException {
        for (long end = System.nanoTime() + d.toNanos(); System.nanoTime() < end; Thread.sleep(50)) {
            if (closedByServer(s)) return true;
        }
        return false;
    }

    /** Sends {@code bytes} one at a time every {@code everyMillis} on a thread of its own; counts what went out. */
    private static Thread trickle(Socket socket, byte[] bytes, long everyMillis, AtomicInteger sent) {
        return Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (byte b : bytes) {
                    out.write(b);
                    out.flush();
                    sent.incrementAndGet();
                    Thread.sleep(everyMillis);
                }
            } catch (IOException | InterruptedException e) {
                // closed by the server (or the test): the trickle ends
            }
        });
    }

    @Test
    void associateRequestTrickledInIsCutOffByTheSetUpDeadline() throws Exception {
        try (TestArchive archive = new TestArchive(dir, s -> s.withTimeouts(Duration.ofSeconds(1), Duration.ofMinutes(5)));
             TestPeer peer = new TestPeer(archive.port)) {
            byte[] rq = PduEncoder.encode(TestPeer.rq("TESTPEER", "STRATUS", 16384, null, TestPeer.pc(1, VERIFICATION, TestPeer.IMPLICIT)));
            AtomicInteger sent = new AtomicInteger();
            Thread t = trickle(peer.socket, rq, 100, sent); // each byte well within any per-read timeout; the whole far past 1 s
            Pdu answer;
            try {
                answer = peer.read();
            } catch (java.net.SocketException reset) { // not a SocketTimeoutException: waiting out our own timeout would prove nothing
                answer = null;
            }
            assertNull(answer, "closed without an answer (PS3.8 Sta2, ARTIM expired), not " + answer);
            assertTrue(sent.get() < rq.length, "cut off after " + sent.get() + " of " + rq.length + " bytes");
            t.interrupt();
            archive.awaitNoAssociations();
        }
    }

    @Test
    void pduTrickledInIsAbortedByTheIdleDeadline() throws Exception {
        try (TestArchive archive = new TestArchive(dir, s -> s.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1)));
             TestPeer peer = new TestPeer(archive.port)) {
            peer.associate(TestPeer.pc(1, VERIFICATION, TestPeer.IMPLICIT));
            byte[] pdu = PduEncoder.encode(new PDataTf(List.of(new Pdv(1, true, false, new byte[1000], 0, 1000))));
            AtomicInteger sent = new AtomicInteger();
            Thread t = trickle(peer.socket, pdu, 100, sent);
            AAbort abort = peer.expectAbort();
            assertEquals(AAbort.SERVICE_PROVIDER, abort.source(), abort.toString());
            assertTrue(sent.get() < pdu.length, "aborted after " + sent.get() + " of " + pdu.length + " bytes");
            t.interrupt();
            archive.awaitNoAssociations();
        }
    }

    @Test
    void wholePdusArrivingSteadilyKeepTheAssociationPastTheIdleDeadline() throws Exception {
        try (TestArchive archive = new TestArchive(dir, s -> s.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(3)));
             TestPeer peer = new TestPeer(archive.port)) {
            peer.associate(TestPeer.pc(1, VERIFICATION, TestPeer.IMPLICIT));
            byte[] command = Requests.echo(9).encode();
            int fragments = 0;
            for (int pos = 0; pos < command.length; pos += 8, fragments++) { // each PDU complete, one every 500 ms: progress
                int n = Math.min(8, command.length - pos);
                peer.send(new PDataTf(List.of(new Pdv(1, true, pos + n == command.length, command, pos, n))));
                Thread.sleep(500);
            }
            assertTrue(fragments * 500L > archive.settings.idleTimeout().toMillis(), "the message took longer than the idle timeout");
            TestPeer.Message rsp = peer.readMessage();
            assertEquals(Status.SUCCESS, rsp.command().status());
            peer.release();
        }
    }
}
