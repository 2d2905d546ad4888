package dev.stratus.dimse.service;

import dev.stratus.codec.DataSet;
import dev.stratus.dimse.message.CommandSet;

import java.io.IOException;

/** How a service answers the request it handles. */
public interface DimseResponder {
    /** Sends a response; {@code dataSet}, when not null, is encoded in the presentation context's transfer syntax. */
    void respond(CommandSet response, DataSet dataSet) throws IOException;

    /** Whether the requestor sent a C-CANCEL-RQ for this request; reads what the peer has sent meanwhile. */
    boolean cancelRequested() throws IOException;

    /** The presentation contexts accepted on this association. */
    java.util.Collection<PresentationContext> contexts();

    /**
     * Invokes an operation on the requestor over this association (the C-STORE sub-operations of a C-GET): sends
     * {@code request} with a Message ID of ours and its data set, then waits for the response, each PDU within the
     * idle timeout; a C-CANCEL of the request being handled that arrives meanwhile is remembered.
     */
    CommandSet invoke(PresentationContext pc, CommandSet request, dev.stratus.dimse.pdu.PduOutput.DataSetWriter dataSet) throws IOException;
}
