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
}
