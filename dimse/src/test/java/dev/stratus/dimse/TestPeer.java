package dev.stratus.dimse;

import dev.stratus.codec.TransferSyntax;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.pdu.AAbort;
import dev.stratus.dimse.pdu.AAssociateAc;
import dev.stratus.dimse.pdu.AAssociateRj;
import dev.stratus.dimse.pdu.AAssociateRq;
import dev.stratus.dimse.pdu.AReleaseRq;
import dev.stratus.dimse.pdu.PDataTf;
import dev.stratus.dimse.pdu.Pdu;
import dev.stratus.dimse.pdu.PduEncoder;
import dev.stratus.dimse.pdu.PduInput;
import dev.stratus.dimse.pdu.PduType;
import dev.stratus.dimse.pdu.Pdv;
import dev.stratus.dimse.pdu.PresentationContextRq;
import dev.stratus.dimse.pdu.UserIdentity;
import dev.stratus.dimse.pdu.UserInformation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-driven association requestor over a raw socket: sends well-formed or deliberately broken PDUs
 * and reads what comes back, with a socket timeout so that a server that hangs fails the test instead.
 */
final class TestPeer implements AutoCloseable {
    static final String IMPLICIT = TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid();
    static final String EXPLICIT = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();

    final Socket socket;
    private final OutputStream out;
    private final PduInput in;
    /** Lengths of the P-DATA-TF PDUs received, to check the server respects our maximum. */
    final List<Integer> receivedPDataLengths = new ArrayList<>();

    TestPeer(int port) throws IOException {
        this(port, "127.0.0.1");
    }

    /** @param from the local address to connect from: any of 127.0.0.0/8 is another peer on loopback (Linux) */
    TestPeer(int port, String from) throws IOException {
        socket = new Socket("127.0.0.1", port, java.net.InetAddress.getByName(from), 0);
        socket.setSoTimeout(15_000);
        out = socket.getOutputStream();
        in = new PduInput(socket.getInputStream());
    }

    /** The accepting side of a connection our server opened (an association it requests, e.g. to report results). */
    TestPeer(Socket accepted) throws IOException {
        socket = accepted;
        socket.setSoTimeout(15_000);
        out = socket.getOutputStream();
        in = new PduInput(socket.getInputStream());
    }

    static PresentationContextRq pc(int id, String abstractSyntax, String... transferSyntaxes) {
        return new PresentationContextRq(id, abstractSyntax, List.of(transferSyntaxes));
    }

    static AAssociateRq rq(String calling, String called, int maxPdu, UserIdentity identity, PresentationContextRq... pcs) {
        return new AAssociateRq(1, called, calling, AAssociateRq.DICOM_APPLICATION_CONTEXT, List.of(pcs),
                new UserInformation(maxPdu, "1.2.3.4.5", "TESTPEER", identity, null));
    }

    /** Sends the request and returns the answer: an A-ASSOCIATE-AC or -RJ (or A-ABORT). */
    Pdu associate(AAssociateRq rq) throws IOException {
        send(PduEncoder.encode(rq));
        return read();
    }

    AAssociateAc associate(PresentationContextRq... pcs) throws IOException {
        Pdu answer = associate(rq("TESTPEER", "STRATUS", 16384, null, pcs));
        if (!(answer instanceof AAssociateAc ac)) throw new AssertionError("association not accepted: " + answer);
        return ac;
    }

    void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    void send(Pdu pdu) throws IOException {
        send(PduEncoder.encode(pdu));
    }

    /** The next PDU, or null when the server closed the connection. */
    Pdu read() throws IOException {
        if (!in.next(Integer.MAX_VALUE)) return null;
        if (in.type() == PduType.P_DATA_TF) receivedPDataLengths.add(in.length());
        Pdu pdu = in.decode();
        if (pdu instanceof PDataTf p) { // copy the PDVs out of the reused buffer
            List<Pdv> copies = new ArrayList<>();
            for (Pdv v : p.pdvs()) copies.add(new Pdv(v.presentationContextId(), v.command(), v.last(), v.copy(), 0, v.length()));
            return new PDataTf(copies);
        }
        return pdu;
    }

    /** Expects an A-ABORT from the server and returns it; then the server closes the connection. */
    AAbort expectAbort() throws IOException {
        Pdu pdu;
        do {
            pdu = read();
        } while (pdu instanceof PDataTf); // responses to earlier requests may come first
        if (!(pdu instanceof AAbort a)) throw new AssertionError("expected A-ABORT, got " + pdu);
        return a;
    }

    /** Whether the server closed the connection (end of stream) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            byte[] b = new byte[4096];
            while (true) {
                if (socket.getInputStream().read(b) < 0) return true;
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed too
        }
    }

    /** Sends a command (and data set) as PDVs of at most {@code maxFragment} bytes, one PDV per PDU. */
    void sendMessage(int pcId, CommandSet command, byte[] dataSet, int maxFragment) throws IOException {
        sendFragments(pcId, true, command.encode(), maxFragment, true);
        if (dataSet != null) sendFragments(pcId, false, dataSet, maxFragment, true);
    }

    void sendFragments(int pcId, boolean command, byte[] bytes, int maxFragment, boolean markLast) throws IOException {
        int pos = 0;
        do {
            int n = Math.min(maxFragment, bytes.length - pos);
            boolean last = markLast && pos + n == bytes.length;
            send(PduEncoder.encode(new PDataTf(List.of(new Pdv(pcId, command, last, bytes, pos, n)))));
            pos += n;
        } while (pos < bytes.length);
    }

    record Message(int pcId, CommandSet command, byte[] dataSet) {}

    /** Reads one whole DIMSE message (command and, if announced, data set). */
    Message readMessage() throws IOException {
        ByteArrayOutputStream cmd = new ByteArrayOutputStream(), data = new ByteArrayOutputStream();
        CommandSet command = null;
        int pcId = -1;
        while (true) {
            Pdu pdu = read();
            if (!(pdu instanceof PDataTf p)) throw new AssertionError("expected P-DATA-TF, got " + pdu);
            for (Pdv v : p.pdvs()) {
                pcId = v.presentationContextId();
                (v.command() ? cmd : data).write(v.buffer(), v.offset(), v.length());
                if (v.last() && v.command()) {
                    command = CommandSet.decode(cmd.toByteArray());
                    if (!command.hasDataSet()) return new Message(pcId, command, null);
                } else if (v.last()) {
                    return new Message(pcId, command, data.toByteArray());
                }
            }
        }
    }

    /** A-RELEASE-RQ, expecting A-RELEASE-RP. */
    void release() throws IOException {
        send(new AReleaseRq());
        Pdu rp = read();
        if (!(rp instanceof dev.stratus.dimse.pdu.AReleaseRp)) throw new AssertionError("expected A-RELEASE-RP, got " + rp);
    }

    static AAssociateRj rejection(Pdu pdu) {
        if (!(pdu instanceof AAssociateRj rj)) throw new AssertionError("expected A-ASSOCIATE-RJ, got " + pdu);
        return rj;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
