package dev.stratus.dimse.pdu;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads whole PDUs from a transport connection into one reused buffer, refusing any PDU longer than the
 * limit for its type before reading its body: a hostile length costs nothing. Within the limit, the buffer
 * grows with the bytes that actually arrive, never to the announced length up front, so a peer announcing
 * a 1 MiB A-ASSOCIATE-RQ and sending nothing more costs no more than one sending a small one. The buffer
 * holds the last PDU's variable field (and so the PDV fragments sliced from it) until the next read.
 */
public final class PduInput {
    /** A-ASSOCIATE-RQ/AC limit: 128 presentation contexts with many transfer syntaxes fit in a fraction of it. */
    public static final int MAX_ASSOCIATE_LENGTH = 1 << 20;

    private static final int INITIAL_BUFFER = 8192;

    private final InputStream in;
    private byte[] buf = new byte[INITIAL_BUFFER];
    private int type;
    private int length;
    private boolean detached;

    public PduInput(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next PDU. Returns false on end of stream at a PDU boundary (the peer closed the connection).
     *
     * @param maxPDataLength our Maximum Length Received: a longer P-DATA-TF is an oversized PDU
     * @throws PduException  unknown type or a length this type cannot have (A-ABORT reason inside)
     * @throws EOFException  the connection closed in the middle of a PDU
     */
    public boolean next(long maxPDataLength) throws IOException {
        int first = in.read();
        if (first < 0) return false;
        byte[] h = new byte[6];
        h[0] = (byte) first;
        readFully(h, 1, 5, "PDU header");
        type = first;
        long len = PduDecoder.u32(h, 2);
        if (!PduType.isKnown(type)) {
            throw new PduException(AAbort.UNRECOGNIZED_PDU, String.format("unrecognized PDU type %02XH", type));
        }
        long max = switch (type) {
            case PduType.A_ASSOCIATE_RQ, PduType.A_ASSOCIATE_AC -> MAX_ASSOCIATE_LENGTH;
            case PduType.P_DATA_TF -> maxPDataLength;
            default -> 4;
        };
        boolean fixedFour = type == PduType.A_ASSOCIATE_RJ || type == PduType.A_RELEASE_RQ
                || type == PduType.A_RELEASE_RP || type == PduType.A_ABORT;
        if (len > max || fixedFour && len != 4) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, PduType.name(type) + " of length " + len
                    + (fixedFour ? " instead of 4" : " exceeds the maximum of " + max));
        }
        length = (int) len;
        if (detached) {
            buf = new byte[INITIAL_BUFFER]; // the previous buffer still backs PDVs being handled
            detached = false;
        }
        readBody();
        return true;
    }

    /** Reads the variable field, doubling the buffer only once the bytes received fill it. */
    private void readBody() throws IOException {
        int got = 0;
        while (got < length) {
            if (got == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(length, 2L * buf.length));
            int r = in.read(buf, got, Math.min(buf.length, length) - got);
            if (r < 0) throw new EOFException(PduType.name(type) + " truncated: connection closed after " + got + " of " + length + " bytes");
            got += r;
        }
    }

    public int type() { return type; }

    public int length() { return length; }

    /** The variable field of the last PDU read (valid up to {@link #length()}). */
    public byte[] body() { return buf; }

    public Pdu decode() throws PduException {
        return PduDecoder.decode(type, buf, length);
    }

    /** Leaves the current buffer to the PDVs sliced from it: the next PDU is read into a new one. */
    public void detach() {
        detached = true;
    }

    /** Whether bytes of a next PDU are already waiting, so that reading it would not block for long. */
    public boolean available() throws IOException {
        return in.available() > 0;
    }

    private void readFully(byte[] b, int off, int len, String what) throws IOException {
        int got = 0;
        while (got < len) {
            int r = in.read(b, off + got, len - got);
            if (r < 0) throw new EOFException(what + " truncated: connection closed after " + got + " of " + len + " bytes");
            got += r;
        }
    }

    @Override
    public String toString() {
        return PduType.name(type) + " #" + length + " " + Arrays.toString(Arrays.copyOf(buf, Math.min(length, 16)));
    }
}
