package dev.stratus.dimse.association;

import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.message.MalformedCommandException;
import dev.stratus.dimse.pdu.AAbort;
import dev.stratus.dimse.pdu.Pdv;
import dev.stratus.dimse.pdu.PduException;
import dev.stratus.dimse.service.DataSetSink;
import dev.stratus.dimse.service.PresentationContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Reassembles DIMSE messages from PDVs (PS3.8 Annex E, PS3.7 8.1): the command fragments into a command
 * set, then, if the command says one follows, the data set fragments streamed into a sink. Every fragment
 * of a message must be on the same accepted presentation context, commands before data; anything else is
 * a protocol error that aborts the association.
 */
final class MessageAssembler {
    /** A command set is a few hundred bytes; this bounds what a hostile peer can make us hold. */
    static final int MAX_COMMAND_LENGTH = 64 * 1024;

    interface Handler {
        /** The command is complete and a data set follows: where should it go? */
        DataSetSink onCommand(PresentationContext pc, CommandSet command) throws IOException;

        /** A message is complete; {@code dataSet} is null when none followed the command. */
        void onMessage(PresentationContext pc, CommandSet command, DataSetSink dataSet) throws IOException;
    }

    private enum State { IDLE, COMMAND, DATA }

    private final Map<Integer, PresentationContext> contexts;
    private final ByteArrayOutputStream command = new ByteArrayOutputStream(512);
    private State state = State.IDLE;
    private PresentationContext pc;
    private CommandSet pending;
    private DataSetSink sink;

    MessageAssembler(Map<Integer, PresentationContext> contexts) {
        this.contexts = contexts;
    }

    /** True between messages: nothing half received. */
    boolean idle() { return state == State.IDLE; }

    void accept(Pdv pdv, Handler handler) throws IOException {
        PresentationContext context = contexts.get(pdv.presentationContextId());
        if (context == null) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "PDV on presentation context " + pdv.presentationContextId() + ", which was not accepted");
        }
        if (state != State.IDLE && context != pc) {
            throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, "PDV on presentation context " + context.id()
                    + " in the middle of a message on presentation context " + pc.id());
        }
        switch (state) {
            case IDLE, COMMAND -> {
                if (!pdv.command()) {
                    throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, state == State.IDLE
                            ? "data set fragment without a command" : "data set fragment before the last command fragment");
                }
                if (command.size() + pdv.length() > MAX_COMMAND_LENGTH) {
                    throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "command set longer than " + MAX_COMMAND_LENGTH + " bytes");
                }
                state = State.COMMAND;
                pc = context;
                command.write(pdv.buffer(), pdv.offset(), pdv.length());
                if (pdv.last()) commandComplete(handler);
            }
            case DATA -> {
                if (pdv.command()) throw new PduException(AAbort.UNEXPECTED_PDU_PARAMETER, "command fragment while the data set of " + pending + " is being received");
                sink.write(pdv.buffer(), pdv.offset(), pdv.length());
                if (pdv.last()) {
                    DataSetSink s = sink;
                    CommandSet c = pending;
                    reset();
                    try {
                        handler.onMessage(context, c, s);
                    } finally {
                        s.close();
                    }
                }
            }
        }
    }

    private void commandComplete(Handler handler) throws IOException {
        CommandSet cs;
        try {
            cs = CommandSet.decode(command.toByteArray());
        } catch (MalformedCommandException e) {
            throw new PduException(AAbort.INVALID_PDU_PARAMETER_VALUE, "malformed command set: " + e.getMessage());
        }
        command.reset();
        PresentationContext context = pc;
        if (cs.hasDataSet()) {
            pending = cs;
            sink = handler.onCommand(context, cs);
            state = State.DATA;
        } else {
            reset();
            handler.onMessage(context, cs, null);
        }
    }

    private void reset() {
        state = State.IDLE;
        pc = null;
        pending = null;
        sink = null;
        command.reset();
    }

    /** Drops a half-received message: its data set is never handed on (nothing partial is stored). */
    void discard() {
        if (sink != null) sink.close();
        reset();
    }
}
