package dev.stratus.dimse.service;

import dev.stratus.codec.TransferSyntax;

import java.io.IOException;

/** One DIMSE service provider (SCP role) for one request command and the SOP classes it serves. */
public interface DimseService {
    /** The request Command Field this service answers (PS3.7 E.1). */
    int commandField();

    /** Whether a presentation context with this abstract syntax is served. */
    boolean supports(String abstractSyntax);

    /** Whether this transfer syntax is acceptable for the abstract syntax (only asked when supported). */
    boolean accepts(String abstractSyntax, TransferSyntax transferSyntax);

    /** Where the request's data set goes, called when its command is complete and a data set follows. */
    DataSetSink openDataSet(DimseRequest request) throws IOException;

    /** Handles a complete request; {@code dataSet} is null when the command said none follows. */
    void handle(DimseRequest request, DataSetSink dataSet, DimseResponder responder) throws IOException;
}
