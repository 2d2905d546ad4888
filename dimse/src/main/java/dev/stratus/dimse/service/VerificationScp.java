package dev.stratus.dimse.service;

import dev.stratus.codec.TransferSyntax;
import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.Status;

import java.io.IOException;

/** Verification SOP class (PS3.4 Annex A): C-ECHO answers success. */
public final class VerificationScp implements DimseService {
    @Override
    public int commandField() { return CommandField.C_ECHO_RQ; }

    @Override
    public boolean supports(String abstractSyntax) { return SopClass.VERIFICATION.equals(abstractSyntax); }

    @Override
    public boolean accepts(String abstractSyntax, TransferSyntax ts) { return ts.isUncompressed(); }

    @Override
    public DataSetSink openDataSet(DimseRequest request) { return DataSetSink.DISCARD; } // C-ECHO has no data set

    @Override
    public void handle(DimseRequest request, DataSetSink dataSet, DimseResponder responder) throws IOException {
        int status = supports(request.context().abstractSyntax()) ? Status.SUCCESS : Status.SOP_CLASS_NOT_SUPPORTED;
        responder.respond(Responses.to(request.command(), CommandField.C_ECHO_RSP, status), null);
    }
}
