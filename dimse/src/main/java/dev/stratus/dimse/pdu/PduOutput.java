package dev.stratus.dimse.pdu;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes PDUs to a transport connection, splitting commands and data sets into P-DATA-TF PDUs of at most
 * the peer's Maximum Length Received. It records when a write started so that a watchdog can close a
 * connection whose peer stopped reading (a blocked socket write has no timeout of its own).
 */
public final class PduOutput {
    private final OutputStream out;
    private volatile long writingSince; // System.nanoTime() when the current write began, 0 when not writing
    private int maxPduLength;

    public PduOutput(OutputStream socketOut, int maxPduLength) {
        this.out = new BufferedOutputStream(socketOut, 64 * 1024);
        this.maxPduLength = maxPduLength;
    }

    /** The largest PDU variable field to send: the peer's Maximum Length Received, capped by our own. */
    public void maxPduLength(int max) { this.maxPduLength = max; }

    public int maxPduLength() { return maxPduLength; }

    public synchronized void write(Pdu pdu) throws IOException {
        begin();
        try {
            out.write(PduEncoder.encode(pdu));
            out.flush();
        } finally {
            writingSince = 0;
        }
    }

    /** Sends a command and, if not null, its data set as PDVs on one presentation context (PS3.8 Annex E). */
    public synchronized void writeMessage(int presentationContextId, byte[] command, byte[] dataSet) throws IOException {
        begin();
        try {
            fragments(presentationContextId, true, command);
            if (dataSet != null) fragments(presentationContextId, false, dataSet);
            out.flush();
        } finally {
            writingSince = 0;
        }
    }

    /** Writes a data set to a stream; the stream is the message's data set fragments. */
    public interface DataSetWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Sends a command, then the data set {@code dataSet} writes, cut into PDVs as it is written: a large instance
     * streamed from its blob is never held whole. If the writer fails half-way the message cannot be completed
     * and the caller must abort the association.
     */
    public synchronized void writeMessage(int presentationContextId, byte[] command, DataSetWriter dataSet) throws IOException {
        begin();
        try {
            fragments(presentationContextId, true, command);
            Fragmenter data = new Fragmenter(presentationContextId);
            dataSet.writeTo(data);
            data.finish();
            out.flush();
        } finally {
            writingSince = 0;
        }
    }

    /** Holds one fragment back, so that the last one can be flagged as last when the data set ends. */
    private final class Fragmenter extends OutputStream {
        private final int pcId;
        private final byte[] fragment = new byte[maxPduLength - 6];
        private int n;

        Fragmenter(int pcId) { this.pcId = pcId; }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (n == fragment.length) {
                    out.write(PduEncoder.pDataHeader(pcId, 0, n)); // more follows: not the last
                    out.write(fragment, 0, n);
                    n = 0;
                }
                int k = Math.min(len, fragment.length - n);
                System.arraycopy(b, off, fragment, n, k);
                n += k;
                off += k;
                len -= k;
            }
        }

        void finish() throws IOException {
            out.write(PduEncoder.pDataHeader(pcId, 2, n));
            out.write(fragment, 0, n);
        }
    }

    private void fragments(int pcId, boolean command, byte[] bytes) throws IOException {
        int max = maxPduLength - 6; // PDV item length (4) and its presentation context ID and control header bytes
        int pos = 0;
        do {
            int n = Math.min(max, bytes.length - pos);
            boolean last = pos + n == bytes.length;
            out.write(PduEncoder.pDataHeader(pcId, (command ? 1 : 0) | (last ? 2 : 0), n));
            out.write(bytes, pos, n);
            pos += n;
        } while (pos < bytes.length);
    }

    private void begin() {
        long now = System.nanoTime();
        writingSince = now == 0 ? 1 : now;
    }

    /** How long the current write has been blocked, in nanoseconds; 0 when no write is in progress. */
    public long blockedNanos() {
        long since = writingSince;
        return since == 0 ? 0 : System.nanoTime() - since;
    }
}
