package dev.stratus.dimse.association;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A socket's input under a deadline for a whole unit of progress (the association set-up, one PDU), not for
 * each read: a socket timeout alone restarts with every byte, so a peer sending one byte a little more often
 * than the timeout held its connection forever. Each read waits only for what is left before the deadline.
 */
final class DeadlineInput extends FilterInputStream {
    private final Socket socket;
    private long deadline; // System.nanoTime() scale

    DeadlineInput(Socket socket) throws IOException {
        super(socket.getInputStream());
        this.socket = socket;
    }

    /** The next reads must be done by this instant of {@link System#nanoTime()}. */
    void expireAt(long nanoTime) {
        deadline = nanoTime;
    }

    /** The next reads must be done within {@code d} from now. */
    void expireIn(Duration d) {
        deadline = System.nanoTime() + d.toNanos();
    }

    @Override
    public int read() throws IOException {
        socket.setSoTimeout(millisLeft());
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        socket.setSoTimeout(millisLeft());
        return super.read(b, off, len);
    }

    private int millisLeft() throws SocketTimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new SocketTimeoutException("deadline passed");
        return (int) Math.clamp((left + 999_999) / 1_000_000, 1, Integer.MAX_VALUE);
    }
}
