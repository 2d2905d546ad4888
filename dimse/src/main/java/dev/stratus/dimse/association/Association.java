package dev.stratus.dimse.association;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.message.Status;
import dev.stratus.dimse.pdu.AAbort;
import dev.stratus.dimse.pdu.AAssociateRq;
import dev.stratus.dimse.pdu.AReleaseRp;
import dev.stratus.dimse.pdu.PduDecoder;
import dev.stratus.dimse.pdu.PduException;
import dev.stratus.dimse.pdu.PduInput;
import dev.stratus.dimse.pdu.PduOutput;
import dev.stratus.dimse.pdu.PduType;
import dev.stratus.dimse.pdu.Pdv;
import dev.stratus.dimse.service.AssociationInfo;
import dev.stratus.dimse.service.DataSetSink;
import dev.stratus.dimse.service.AccessNote;
import dev.stratus.dimse.service.DimseRequest;
import dev.stratus.dimse.service.DimseResponder;
import dev.stratus.dimse.service.DimseService;
import dev.stratus.dimse.service.DimseServices;
import dev.stratus.dimse.service.PresentationContext;
import dev.stratus.dimse.service.Responses;
import dev.stratus.dimse.tls.TlsPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One association, acceptor side, on its own (virtual) thread: the upper layer state machine of PS3.8 9.2
 * reduced to what an SCP goes through. Sta2: wait for A-ASSOCIATE-RQ under the ARTIM timer; answer AC or
 * RJ. Sta6: P-DATA-TF until A-RELEASE-RQ (answered RP), A-ABORT, or a protocol error (answered A-ABORT).
 * Sta13: after RP, RJ or A-ABORT sent, wait under ARTIM for the peer to close. Requests are handled one
 * at a time (no asynchronous operations window is negotiated); C-FIND, C-MOVE and C-GET look for C-CANCEL between
 * responses, and a C-GET invokes its C-STORE sub-operations on the requestor over this association, reading their
 * responses as they come.
 * Reads run under deadlines that trickling bytes cannot extend: the set-up must be done within ARTIM of the
 * accept, and once established each PDU must be complete within the idle timeout of starting to wait for it.
 */
public final class Association implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Association.class);

    private final Socket socket;
    private final DimseSettings settings;
    private final Negotiator negotiator;
    private final DimseServices services;
    private final OperationAudit audit;
    private final String id;
    private final long acceptedAt = System.nanoTime();

    /** How far the set-up has come: the server evicts silent connections and reaps overdue set-ups by it. */
    public enum Phase { AWAITING_REQUEST, NEGOTIATING, ESTABLISHED }

    private volatile Phase phase = Phase.AWAITING_REQUEST;
    private DeadlineInput deadline;
    private PduInput in;
    private PduOutput out;
    private AssociationInfo info;
    private MessageAssembler assembler;
    private java.util.Collection<PresentationContext> contexts;
    private int lastMessageId; // of the requests we invoke on the peer (C-GET's C-STOREs)
    private Outstanding outstanding; // the request being handled, if any (a C-FIND that may be cancelled)
    private volatile boolean closed;

    public Association(Socket socket, DimseSettings settings, Negotiator negotiator, DimseServices services, OperationAudit audit, String id) {
        this.socket = socket;
        this.settings = settings;
        this.negotiator = negotiator;
        this.services = services;
        this.audit = audit;
        this.id = id;
    }

    /** Thrown when the peer aborted: nothing more is sent. */
    private static final class PeerAborted extends IOException {
        PeerAborted(String message) { super(message); }
    }

    @Override
    public void run() {
        try {
            socket.setTcpNoDelay(true);
            deadline = new DeadlineInput(socket);
            deadline.expireAt(acceptedAt + settings.artimTimeout().toNanos());
            in = new PduInput(new BufferedInputStream(new QuickAckInput(deadline, socket), 64 * 1024));
            out = new PduOutput(socket.getOutputStream(), settings.maxPduLength());
            if (establish()) serve();
        } catch (PduException e) {
            log.warn("{}: protocol error, aborting ({}): {}", this, AAbort.reasonName(e.abortReason()), e.getMessage());
            abort(e.toAbort());
        } catch (SocketTimeoutException e) {
            if (info == null) {
                log.warn("{}: ARTIM timer ({}) expired before a whole A-ASSOCIATE-RQ, closing", this, settings.artimTimeout()); // PS3.8 Sta2 AA-2: close, no A-ABORT
            } else {
                log.warn("{}: no whole PDU received within {} (idle timeout), aborting", this, settings.idleTimeout());
                abort(AAbort.provider(AAbort.REASON_NOT_SPECIFIED));
            }
        } catch (SSLException e) {
            // An untrusted or absent client certificate, plain DICOM on the TLS port, no common protocol or suite.
            if (!closed) log.warn("{}: {}: {}", this, info == null ? "TLS handshake refused" : "TLS failure, closing", e.getMessage());
        } catch (PeerAborted e) {
            log.info("{}: aborted by peer ({})", this, e.getMessage());
        } catch (EOFException e) {
            log.warn("{}: connection closed mid-PDU: {}", this, e.getMessage());
            abort(AAbort.provider(AAbort.REASON_NOT_SPECIFIED));
        } catch (IOException e) {
            if (!closed) log.info("{}: connection lost: {}", this, e.toString());
        } catch (RuntimeException e) {
            log.error("{}: failed, aborting", this, e);
            abort(AAbort.provider(AAbort.REASON_NOT_SPECIFIED));
        } finally {
            if (assembler != null) assembler.discard();
            close();
        }
    }

    /** Sta2 → Sta6 or back to Sta1: reads the A-ASSOCIATE-RQ and answers it. */
    private boolean establish() throws IOException {
        if (!in.next(settings.maxPduLength())) return false; // connected and closed: nothing to say
        switch (in.type()) {
            case PduType.A_ASSOCIATE_RQ -> { }
            case PduType.A_ABORT -> throw new PeerAborted(in.decode().toString());
            default -> throw new PduException(AAbort.UNEXPECTED_PDU, PduType.name(in.type()) + " before A-ASSOCIATE-RQ");
        }
        AAssociateRq rq = (AAssociateRq) in.decode();
        phase = Phase.NEGOTIATING;
        SSLSession tls = socket instanceof SSLSocket s ? s.getSession() : null; // the handshake is done: the request came through it
        switch (negotiator.negotiate(rq, socket.getInetAddress(), tls)) {
            case Negotiator.Outcome.Reject r -> {
                log.info("{}: A-ASSOCIATE-RJ from {} to {}: {}", this, rq.callingAeTitle(), rq.calledAeTitle(), r.why());
                audit.rejected(rq, socket.getInetAddress(), tls != null, tls == null ? null : TlsPeer.identify(tls, java.util.List.of()).subject());
                out.write(r.rj());
                lingerUntilClosed();
                return false;
            }
            case Negotiator.Outcome.Accept a -> {
                out.write(a.ac());
                phase = Phase.ESTABLISHED;
                out.maxPduLength(a.maxSendLength());
                info = a.info();
                assembler = new MessageAssembler(a.contexts());
                contexts = a.contexts().values();
                log.info("{}: A-ASSOCIATE-AC for {} to {} (tenant {}, {} of {} presentation contexts, implementation {} {}{})", this,
                        rq.callingAeTitle(), rq.calledAeTitle(), info.tenant(), a.contexts().size(), rq.presentationContexts().size(),
                        rq.userInformation().implementationClassUid(), rq.userInformation().implementationVersionName(),
                        tls == null ? "" : ", " + tls.getProtocol() + (info.tls().subject() == null ? " without client certificate" : " as " + info.tls().subject()));
                return true;
            }
        }
    }

    /** Sta6: PDUs until release, abort or the connection goes. */
    private void serve() throws IOException {
        Handler handler = new Handler();
        while (true) {
            deadline.expireIn(settings.idleTimeout());
            if (!in.next(settings.maxPduLength())) {
                if (!assembler.idle()) log.warn("{}: connection closed in the middle of a message, which is discarded", this);
                else log.info("{}: connection closed without A-RELEASE", this);
                return;
            }
            if (handlePdu(handler)) return;
        }
    }

    /** Handles the PDU just read; returns true once the association is released. */
    private boolean handlePdu(MessageAssembler.Handler handler) throws IOException {
        switch (in.type()) {
            case PduType.P_DATA_TF -> {
                for (Pdv pdv : PduDecoder.pdvs(in.body(), in.length())) assembler.accept(pdv, handler);
                return false;
            }
            case PduType.A_RELEASE_RQ -> {
                if (!assembler.idle() || outstanding != null) {
                    throw new PduException(AAbort.UNEXPECTED_PDU, "A-RELEASE-RQ while a message is outstanding");
                }
                out.write(new AReleaseRp());
                log.info("{}: released", this);
                lingerUntilClosed();
                return true;
            }
            case PduType.A_ABORT -> throw new PeerAborted(in.decode().toString());
            default -> throw new PduException(AAbort.UNEXPECTED_PDU, PduType.name(in.type()) + " on an established association");
        }
    }

    /** Requests as they complete: one at a time, through the service for their command. */
    private final class Handler implements MessageAssembler.Handler {
        @Override
        public DataSetSink onCommand(PresentationContext pc, CommandSet command) throws IOException {
            requireMessageId(command);
            DimseService service = services.forCommand(command.commandField());
            return service == null ? DataSetSink.DISCARD : service.openDataSet(new DimseRequest(pc, command, info));
        }

        @Override
        public void onMessage(PresentationContext pc, CommandSet command, DataSetSink dataSet) throws IOException {
            int field = command.commandField();
            if (field == CommandField.C_CANCEL_RQ) {
                log.debug("{}: C-CANCEL-RQ with no operation outstanding: ignored", Association.this);
                return;
            }
            if (CommandField.isResponse(field)) {
                log.warn("{}: unexpected {} ignored: it answers no request of ours outstanding", Association.this, CommandField.name(field));
                return;
            }
            requireMessageId(command);
            DimseService service = services.forCommand(field);
            Outstanding op = new Outstanding(pc, command);
            if (service == null) {
                op.respond(Responses.failure(command, field | 0x8000, Status.UNRECOGNIZED_OPERATION, CommandField.name(field) + " is not supported"), null);
                return;
            }
            outstanding = op;
            DimseRequest request = new DimseRequest(pc, command, info, new AccessNote());
            try {
                service.handle(request, dataSet, op);
            } finally {
                outstanding = null;
                if (op.finalStatus != null) audit.operation(info, command, request.note(), op.finalStatus);
            }
        }
    }

    /** While a request is outstanding, the peer may only cancel it (PS3.7 9.3.2.3); any other request breaks the one-at-a-time contract. */
    private final class WhileOutstanding implements MessageAssembler.Handler {
        @Override
        public DataSetSink onCommand(PresentationContext pc, CommandSet command) throws IOException {
            if (command.commandField() == CommandField.C_CANCEL_RQ || CommandField.isResponse(command.commandField())) return DataSetSink.DISCARD;
            throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, CommandField.name(command.commandField())
                    + " while " + outstanding.request + " is outstanding (asynchronous operations were not negotiated)");
        }

        @Override
        public void onMessage(PresentationContext pc, CommandSet command, DataSetSink dataSet) throws IOException {
            if (CommandField.isResponse(command.commandField())) {
                if (command.getUS(Tag.MessageIDBeingRespondedTo) == outstanding.invoked) outstanding.invokedResponse = command;
                else log.warn("{}: {} answers no request of ours, ignored", Association.this, command);
                return;
            }
            if (command.commandField() != CommandField.C_CANCEL_RQ) onCommand(pc, command);
            if (command.getUS(Tag.MessageIDBeingRespondedTo) == outstanding.request.messageId()) {
                outstanding.cancelled = true;
            }
        }
    }

    private static void requireMessageId(CommandSet command) throws PduException {
        int field = command.commandField();
        if (!CommandField.isResponse(field) && field != CommandField.C_CANCEL_RQ && command.messageId() < 0) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, CommandField.name(field) + " without a Message ID");
        }
    }

    /** A request being handled: how its service answers it and learns of a C-CANCEL. */
    private final class Outstanding implements DimseResponder {
        final PresentationContext pc;
        final CommandSet request;
        boolean cancelled;
        private WhileOutstanding whileOutstanding;
        int invoked = -1; // Message ID of the request we invoked and await the response to
        CommandSet invokedResponse;
        Integer finalStatus; // of the last response that was no Pending one: what the audit trail records

        Outstanding(PresentationContext pc, CommandSet request) {
            this.pc = pc;
            this.request = request;
        }

        @Override
        public void respond(CommandSet response, DataSet dataSet) throws IOException {
            byte[] data = dataSet == null ? null : DicomWriter.encode(dataSet, pc.transferSyntax());
            out.writeMessage(pc.id(), response.encode(), data);
            int status = response.status();
            if (status != Status.PENDING && status != Status.PENDING_WARNING) finalStatus = status;
        }

        @Override
        public boolean cancelRequested() throws IOException {
            while (!cancelled && in.available()) readWhileOutstanding();
            return cancelled;
        }

        @Override
        public java.util.Collection<PresentationContext> contexts() {
            return contexts;
        }

        @Override
        public CommandSet invoke(PresentationContext pc, CommandSet rq, dev.stratus.dimse.pdu.PduOutput.DataSetWriter dataSet) throws IOException {
            lastMessageId = (lastMessageId + 1) & 0xFFFF;
            invoked = lastMessageId;
            invokedResponse = null;
            rq.putUS(Tag.MessageID, invoked);
            out.writeMessage(pc.id(), rq.encode(), dataSet);
            try {
                while (invokedResponse == null) readWhileOutstanding(); // each PDU within the idle timeout
                return invokedResponse;
            } finally {
                invoked = -1;
            }
        }

        /** Reads and handles one PDU while the request is outstanding: a C-CANCEL, or the response to what we invoked. */
        private void readWhileOutstanding() throws IOException {
            if (whileOutstanding == null) {
                whileOutstanding = new WhileOutstanding();
                in.detach(); // PDVs of the PDU that carried the request may still be in use
            }
            deadline.expireIn(settings.idleTimeout());
            if (!in.next(settings.maxPduLength())) throw new EOFException("connection closed while " + request + " was outstanding");
            handlePdu(whileOutstanding);
        }
    }

    /** Sta13: after A-RELEASE-RP, A-ASSOCIATE-RJ or A-ABORT, give the peer the ARTIM time to close first, discarding what it still sends. */
    private void lingerUntilClosed() {
        long deadline = System.nanoTime() + settings.artimTimeout().toNanos();
        byte[] sink = new byte[8192];
        try {
            socket.shutdownOutput(); // flushes what we sent, then FIN: the peer reads our last PDU, then end of stream
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) return;
                socket.setSoTimeout((int) Math.max(1, left));
                if (socket.getInputStream().read(sink) < 0) return;
            }
        } catch (IOException e) {
            // timer expired or the connection went: either way we close it now
        }
    }

    private void abort(AAbort abort) {
        if (closed || out == null) return;
        try {
            out.write(abort);
        } catch (IOException e) {
            return; // the connection is already gone
        }
        lingerUntilClosed();
    }

    /** Closes the transport connection (also from the server's watchdog or shutdown). */
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    public Phase phase() {
        return phase;
    }

    public InetAddress peer() {
        return socket.getInetAddress();
    }

    /** Whether this connection has waited for its A-ASSOCIATE-RQ (or for its last bytes) since before {@code nanoTime - age}. */
    public boolean awaitingRequestLongerThan(Duration age, long nanoTime) {
        return phase == Phase.AWAITING_REQUEST && nanoTime - acceptedAt > age.toNanos();
    }

    /** Whether the set-up has outlasted ARTIM (a slow negotiation, an A-ASSOCIATE-AC the peer does not read). */
    public boolean setUpOverdue(long nanoTime) {
        return phase != Phase.ESTABLISHED && nanoTime - acceptedAt > settings.artimTimeout().toNanos();
    }

    /** Whether a write to the peer has been blocked longer than the idle timeout: the peer stopped reading. */
    public boolean writeStalled() {
        return out != null && out.blockedNanos() > settings.idleTimeout().toNanos();
    }

    @Override
    public String toString() {
        return id + (info == null ? " " + socket.getRemoteSocketAddress() : " " + info.callingAeTitle() + "@" + socket.getInetAddress().getHostAddress());
    }
}
