package dev.stratus.dimse.association;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * Acknowledges received data at once instead of after the delayed-ACK timer. Peers that leave Nagle's
 * algorithm on and write each PDU as two writes (DCMTK writes the 12 bytes of PDU and PDV headers, then
 * the fragment) hold the second write until the first is acknowledged: with delayed ACKs that costs
 * 40 ms per PDU. On Linux, setting TCP_QUICKACK after data has arrived sends the pending ACK now; the
 * kernel clears the mode by itself, so it is set after every read. Elsewhere this is a plain stream.
 */
final class QuickAckInput extends FilterInputStream {
    private static final boolean SUPPORTED = supported();

    private final Socket socket;
    private boolean enabled = SUPPORTED;

    /** @param in the socket's input, or a stream over it */
    QuickAckInput(InputStream in, Socket socket) {
        super(in);
        this.socket = socket;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) ack();
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) ack();
        return n;
    }

    private void ack() {
        if (!enabled) return;
        try {
            socket.setOption(jdk.net.ExtendedSocketOptions.TCP_QUICKACK, true);
        } catch (IOException | UnsupportedOperationException e) {
            enabled = false; // a latency optimisation only
        }
    }

    private static boolean supported() {
        try (Socket s = new Socket()) {
            return s.supportedOptions().contains(jdk.net.ExtendedSocketOptions.TCP_QUICKACK);
        } catch (IOException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
