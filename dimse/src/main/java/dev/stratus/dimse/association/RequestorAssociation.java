package dev.stratus.dimse.association;

import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.pdu.AAbort;
import dev.stratus.dimse.pdu.AAssociateAc;
import dev.stratus.dimse.pdu.AAssociateRj;
import dev.stratus.dimse.pdu.AAssociateRq;
import dev.stratus.dimse.pdu.AReleaseRq;
import dev.stratus.dimse.pdu.PduDecoder;
import dev.stratus.dimse.pdu.PduException;
import dev.stratus.dimse.pdu.PduInput;
import dev.stratus.dimse.pdu.PduOutput;
import dev.stratus.dimse.pdu.PduType;
import dev.stratus.dimse.pdu.Pdv;
import dev.stratus.dimse.pdu.PresentationContextAc;
import dev.stratus.dimse.pdu.PresentationContextRq;
import dev.stratus.dimse.pdu.RoleSelection;
import dev.stratus.dimse.pdu.UserInformation;
import dev.stratus.dimse.service.DataSetSink;
import dev.stratus.dimse.service.PresentationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One association we open to another AE (requestor side of PS3.8 9.2): connect, A-ASSOCIATE-RQ, then requests
 * one at a time, each answered before the next, then A-RELEASE. Everything the peer controls runs under a
 * deadline: the connection and the A-ASSOCIATE-AC within {@code setUp}, each PDU of a response within
 * {@code idle} of starting to wait for it, a write the peer does not read for {@code idle} (a watchdog closes the
 * connection), the A-RELEASE-RP within {@code setUp}. A protocol error or a broken deadline aborts the association.
 */
public final class RequestorAssociation implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RequestorAssociation.class);

    private final Socket socket;
    private final String name;
    private final Duration setUp;
    private final Duration idle;
    private final int maxPduLength;
    private final DeadlineInput deadline;
    private final PduInput in;
    private final PduOutput out;
    private final Thread watchdog;
    private Map<Integer, PresentationContext> contexts = Map.of();
    private MessageAssembler assembler;
    private int lastMessageId;
    private int awaited = -1;
    private CommandSet response;
    private volatile boolean closed;

    /** The peer refused the association (A-ASSOCIATE-RJ) or accepted none of the presentation contexts. */
    public static final class Rejected extends IOException {
        Rejected(String message) { super(message); }
    }

    private RequestorAssociation(Socket socket, String name, Duration setUp, Duration idle, int maxPduLength) throws IOException {
        this.socket = socket;
        this.name = name;
        this.setUp = setUp;
        this.idle = idle;
        this.maxPduLength = maxPduLength;
        socket.setTcpNoDelay(true);
        deadline = new DeadlineInput(socket);
        in = new PduInput(new BufferedInputStream(deadline, 64 * 1024));
        out = new PduOutput(socket.getOutputStream(), maxPduLength);
        watchdog = Thread.ofVirtual().name("dimse-out-watchdog " + name).start(this::watchWrites);
    }

    /**
     * Connects to {@code host:port} and negotiates the proposed presentation contexts.
     *
     * @throws Rejected    the peer rejected the association or every presentation context
     * @throws IOException the peer could not be reached in time or broke the protocol
     */
    public static RequestorAssociation open(String host, int port, String callingAeTitle, String calledAeTitle,
                                            List<PresentationContextRq> proposed, Duration setUp, Duration idle, int maxPduLength) throws IOException {
        return open(host, port, callingAeTitle, calledAeTitle, proposed, List.of(), setUp, idle, maxPduLength);
    }

    /** @param roles role selections to propose (PS3.7 D.3.3.4), e.g. ours as Storage Commitment SCP reporting results */
    public static RequestorAssociation open(String host, int port, String callingAeTitle, String calledAeTitle, List<PresentationContextRq> proposed,
                                            List<RoleSelection> roles, Duration setUp, Duration idle, int maxPduLength) throws IOException {
        Socket socket = new Socket();
        long start = System.nanoTime();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, setUp.toMillis()));
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to " + calledAeTitle + " at " + host + ":" + port + ": " + e.getMessage(), e);
        }
        RequestorAssociation a = new RequestorAssociation(socket, calledAeTitle + "@" + host + ":" + port, setUp, idle, maxPduLength);
        try {
            a.negotiate(new AAssociateRq(1, calledAeTitle, callingAeTitle, AAssociateRq.DICOM_APPLICATION_CONTEXT, proposed,
                    new UserInformation(maxPduLength, DicomWriter.IMPLEMENTATION_CLASS_UID, DicomWriter.IMPLEMENTATION_VERSION_NAME, null, null, roles)),
                    start + setUp.toNanos());
            return a;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PduException p) a.abort(p.toAbort());
            a.close();
            throw e;
        }
    }

    private void negotiate(AAssociateRq rq, long deadlineNanos) throws IOException {
        out.write(rq);
        deadline.expireAt(deadlineNanos);
        if (!in.next(maxPduLength)) throw new EOFException(name + " closed the connection instead of answering the A-ASSOCIATE-RQ");
        switch (in.type()) {
            case PduType.A_ASSOCIATE_AC -> { }
            case PduType.A_ASSOCIATE_RJ -> {
                AAssociateRj rj = (AAssociateRj) in.decode();
                throw new Rejected(name + " rejected the association: result " + rj.result() + ", source " + rj.source() + ", reason " + rj.reason());
            }
            case PduType.A_ABORT -> throw new IOException(name + " aborted the association set-up: " + in.decode());
            default -> throw new PduException(AAbort.UNEXPECTED_PDU, PduType.name(in.type()) + " in answer to A-ASSOCIATE-RQ");
        }
        AAssociateAc ac = (AAssociateAc) in.decode();
        Map<Integer, PresentationContextRq> byId = new HashMap<>();
        for (PresentationContextRq pc : rq.presentationContexts()) byId.put(pc.id(), pc);
        Map<Integer, PresentationContext> accepted = new HashMap<>();
        for (PresentationContextAc pc : ac.presentationContexts()) {
            PresentationContextRq proposed = byId.get(pc.id());
            if (proposed == null || !pc.accepted()) continue;
            TransferSyntax ts = pc.transferSyntax() == null ? null : TransferSyntax.of(pc.transferSyntax());
            if (ts == null || !proposed.transferSyntaxes().contains(ts.uid())) {
                throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "presentation context " + pc.id() + " accepted with "
                        + pc.transferSyntax() + ", which was not proposed");
            }
            accepted.put(pc.id(), new PresentationContext(pc.id(), proposed.abstractSyntax(), ts));
        }
        if (accepted.isEmpty()) {
            release();
            throw new Rejected(name + " accepted none of the " + rq.presentationContexts().size() + " presentation contexts proposed");
        }
        contexts = Map.copyOf(accepted);
        assembler = new MessageAssembler(contexts);
        long peerMax = ac.userInformation() == null ? 0 : ac.userInformation().maxPduLength();
        if (peerMax > 0 && peerMax < 7) throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "peer's maximum PDU length " + peerMax + " cannot carry a PDV");
        out.maxPduLength(peerMax <= 0 || peerMax > maxPduLength ? maxPduLength : (int) peerMax);
        log.debug("{}: association established, {} of {} presentation contexts accepted", name, accepted.size(), rq.presentationContexts().size());
    }

    /** The presentation contexts the peer accepted. */
    public java.util.Collection<PresentationContext> contexts() {
        return contexts.values();
    }

    /** Sends a request with its data set (null: none) and returns the peer's response; Message IDs are ours. */
    public CommandSet invoke(PresentationContext pc, CommandSet request, PduOutput.DataSetWriter dataSet) throws IOException {
        lastMessageId = (lastMessageId + 1) & 0xFFFF;
        awaited = lastMessageId;
        response = null;
        request.putUS(Tag.MessageID, awaited);
        Responses handler = new Responses();
        try {
            if (dataSet == null) out.writeMessage(pc.id(), request.encode(), (byte[]) null);
            else out.writeMessage(pc.id(), request.encode(), dataSet);
            while (response == null) {
                deadline.expireIn(idle);
                if (!in.next(maxPduLength)) throw new EOFException(name + " closed the connection before answering " + request);
                switch (in.type()) {
                    case PduType.P_DATA_TF -> {
                        for (Pdv pdv : PduDecoder.pdvs(in.body(), in.length())) assembler.accept(pdv, handler);
                    }
                    case PduType.A_ABORT -> throw new IOException(name + " aborted the association: " + in.decode());
                    default -> throw new PduException(AAbort.UNEXPECTED_PDU, PduType.name(in.type()) + " while awaiting the response to " + request);
                }
            }
            return response;
        } catch (PduException e) {
            abort(e.toAbort());
            throw e;
        } catch (java.net.SocketTimeoutException e) {
            abort(AAbort.provider(AAbort.REASON_NOT_SPECIFIED));
            throw new IOException(name + " did not answer " + request + " within " + idle, e);
        } catch (IOException | RuntimeException e) {
            abort(new AAbort(AAbort.SERVICE_USER, AAbort.REASON_NOT_SPECIFIED)); // a message may be cut short: nothing more can follow
            throw e;
        } finally {
            awaited = -1;
        }
    }

    /** Responses to our requests; anything else from the peer is a protocol error. */
    private final class Responses implements MessageAssembler.Handler {
        @Override
        public DataSetSink onCommand(PresentationContext pc, CommandSet command) throws IOException {
            if (!CommandField.isResponse(command.commandField())) {
                throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, CommandField.name(command.commandField()) + " sent to the requestor");
            }
            return DataSetSink.DISCARD; // a C-STORE-RSP has no data set; one that has it is not needed
        }

        @Override
        public void onMessage(PresentationContext pc, CommandSet command, DataSetSink dataSet) throws IOException {
            onCommand(pc, command);
            if (command.getUS(Tag.MessageIDBeingRespondedTo) == awaited) response = command;
            else log.warn("{}: {} answers no request outstanding, ignored", name, command);
        }
    }

    /** A-RELEASE-RQ, then the A-RELEASE-RP within the set-up time; the connection is closed either way. */
    public void release() {
        if (closed) return;
        try {
            out.write(new AReleaseRq());
            deadline.expireIn(setUp);
            while (in.next(maxPduLength)) {
                if (in.type() == PduType.A_RELEASE_RP || in.type() == PduType.A_ABORT) break;
            }
        } catch (IOException e) {
            log.debug("{}: release not answered: {}", name, e.toString());
        } finally {
            close();
        }
    }

    /** Sends an A-ABORT (best effort) and closes. */
    public void abort(AAbort abort) {
        if (closed) return;
        try {
            out.write(abort);
        } catch (IOException e) {
            // the connection is already gone
        }
        close();
    }

    /** A blocked socket write has no timeout: close the connection of a peer that stopped reading. */
    private void watchWrites() {
        while (!closed) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            if (out.blockedNanos() > idle.toNanos()) {
                log.warn("{}: peer has not read for longer than {}, closing", name, idle);
                close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
