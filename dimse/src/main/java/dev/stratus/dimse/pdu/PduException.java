package dev.stratus.dimse.pdu;

import java.io.IOException;

/** A PDU that breaks PS3.8: the association is aborted with this A-ABORT reason (source: service-provider). */
public class PduException extends IOException {
    private final int abortReason;

    public PduException(int abortReason, String message) {
        super(message);
        this.abortReason = abortReason;
    }

    public int abortReason() { return abortReason; }

    public AAbort toAbort() { return AAbort.provider(abortReason); }
}
