package dev.stratus.dimse.association;

import dev.stratus.dimse.pdu.AAssociateRj;
import dev.stratus.dimse.pdu.PduEncoder;
import dev.stratus.dimse.pdu.PduInput;
import dev.stratus.dimse.pdu.PduType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;

/**
 * A connection over one of the association limits, answered without taking a slot: if its A-ASSOCIATE-RQ
 * arrives within a short grace, A-ASSOCIATE-RJ (rejected-transient, local-limit-exceeded, PS3.8 9.3.4) tells
 * the peer to retry later; otherwise it is closed. The request is read past, never held.
 */
public final class Refusal implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Refusal.class);
    private static final AAssociateRj REJECTION = new AAssociateRj(AAssociateRj.REJECTED_TRANSIENT,
            AAssociateRj.SOURCE_SERVICE_PROVIDER_PRESENTATION, AAssociateRj.LOCAL_LIMIT_EXCEEDED);

    private final Socket socket;
    private final Duration grace;
    private final String why;

    /**
     * @param grace how long the peer has to send its request, and then to close after our answer
     * @param why   the limit, for the log
     */
    public Refusal(Socket socket, Duration grace, String why) {
        this.socket = socket;
        this.grace = grace;
        this.why = why;
    }

    @Override
    public void run() {
        String peer = String.valueOf(socket.getRemoteSocketAddress());
        try (socket) {
            DeadlineInput in = new DeadlineInput(socket);
            in.expireIn(grace);
            byte[] header = new byte[6];
            byte[] sink = new byte[8192];
            if (!readFully(in, header, header.length) || (header[0] & 0xFF) != PduType.A_ASSOCIATE_RQ) {
                log.info("refused {}: {}; it sent no A-ASSOCIATE-RQ (grace {}), closed", peer, why, grace);
                return;
            }
            long length = java.nio.ByteBuffer.wrap(header, 2, 4).getInt() & 0xFFFFFFFFL;
            if (length > PduInput.MAX_ASSOCIATE_LENGTH) return;
            for (long left = length; left > 0; ) { // read past it: closing with unread bytes would reset, losing our answer
                int n = in.read(sink, 0, (int) Math.min(sink.length, left));
                if (n < 0) return;
                left -= n;
            }
            OutputStream out = socket.getOutputStream();
            out.write(PduEncoder.encode(REJECTION));
            out.flush();
            socket.shutdownOutput();
            log.info("refused {}: {}; A-ASSOCIATE-RJ (transient, local limit exceeded)", peer, why);
            in.expireIn(grace);
            while (in.read(sink, 0, sink.length) >= 0) {
                // the peer's close, or anything it still sends, until the grace runs out
            }
        } catch (IOException e) {
            // timed out or gone: closed either way
        }
    }

    private static boolean readFully(DeadlineInput in, byte[] b, int len) throws IOException {
        for (int got = 0; got < len; ) {
            int n = in.read(b, got, len - got);
            if (n < 0) return false;
            got += n;
        }
        return true;
    }
}
