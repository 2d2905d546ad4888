package dev.stratus.dimse.service;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.dimse.TenantPolicy;
import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.message.Status;
import dev.stratus.index.Index;
import dev.stratus.index.IndexUnavailableException;
import dev.stratus.index.TenantId;
import dev.stratus.index.query.InvalidQueryException;
import dev.stratus.index.query.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Query/Retrieve FIND of the Patient Root and Study Root information models (PS3.4 C.4.1), SCP role: the
 * identifier is matched by the index (the engine QIDO-RS uses), each match is sent as a pending response,
 * then a final one. The index is read page by page, and a C-CANCEL-RQ is looked for before each response.
 */
public final class FindScp implements DimseService {
    private static final Logger log = LoggerFactory.getLogger(FindScp.class);
    /** An identifier is a few keys: more than this is not a query. */
    static final int MAX_IDENTIFIER_LENGTH = 1 << 20;
    private static final int PAGE = 500; // index rows per search: bounds memory, and a cancel takes effect between pages

    private final Index index;
    private final TenantPolicy tenants;
    private final String aeTitle;

    public FindScp(Index index, TenantPolicy tenants, String aeTitle) {
        this.index = index;
        this.tenants = tenants;
        this.aeTitle = aeTitle;
    }

    @Override
    public int commandField() { return CommandField.C_FIND_RQ; }

    @Override
    public boolean supports(String abstractSyntax) {
        return SopClass.STUDY_ROOT_QR_FIND.equals(abstractSyntax) || SopClass.PATIENT_ROOT_QR_FIND.equals(abstractSyntax);
    }

    @Override
    public boolean accepts(String abstractSyntax, TransferSyntax ts) { return ts.isUncompressed(); }

    @Override
    public DataSetSink openDataSet(DimseRequest request) {
        return new MemorySink(MAX_IDENTIFIER_LENGTH);
    }

    @Override
    public void handle(DimseRequest request, DataSetSink dataSet, DimseResponder responder) throws IOException {
        CommandSet cmd = request.command();
        try {
            TenantId tenant = tenant(request);
            FindQuery query = FindQuery.parse(request.context().abstractSyntax(), identifier(request, dataSet));
            int status = run(tenant, query, cmd, responder);
            responder.respond(Responses.to(cmd, CommandField.C_FIND_RSP, status), null);
        } catch (FindFailure f) {
            CommandSet rsp = Responses.failure(cmd, CommandField.C_FIND_RSP, f.status, f.getMessage());
            if (f.offendingElement != -1) rsp.putAttributeTag(Tag.OffendingElement, f.offendingElement);
            responder.respond(rsp, null);
        }
    }

    private TenantId tenant(DimseRequest request) throws FindFailure {
        if (!supports(request.context().abstractSyntax())) {
            throw new FindFailure(Status.SOP_CLASS_NOT_SUPPORTED, "not a FIND SOP class: " + request.context().abstractSyntax(), -1);
        }
        return switch (tenants.forRequest(request.association(), request.command())) {
            case TenantPolicy.Decision.Tenant t -> t.tenant();
            case TenantPolicy.Decision.Refused r -> throw new FindFailure(r.status(), r.comment(), -1);
        };
    }

    static DataSet identifier(DimseRequest request, DataSetSink dataSet) throws FindFailure {
        if (!(dataSet instanceof MemorySink sink)) throw new FindFailure(Status.CANNOT_UNDERSTAND, CommandField.name(request.command().commandField()) + " without an identifier", -1);
        if (sink.overflow()) throw new FindFailure(Status.OUT_OF_RESOURCES, "identifier longer than " + MAX_IDENTIFIER_LENGTH + " bytes", -1);
        try {
            DataSet identifier = new DicomReader(sink.bytes()).readDataSet(request.context().transferSyntax(), ReadOptions.ALL);
            request.note().keys(identifier);
            return identifier;
        } catch (DicomParseException e) {
            throw new FindFailure(Status.CANNOT_UNDERSTAND, "unreadable identifier: " + e.getMessage(), -1);
        }
    }

    /** Sends the pending responses and returns the final status: success, or cancel. */
    private int run(TenantId tenant, FindQuery query, CommandSet cmd, DimseResponder responder) throws IOException, FindFailure {
        PatientRollup patients = query.level == FindQuery.QueryLevel.PATIENT ? new PatientRollup() : null;
        int sent = 0;
        boolean optionalKeysIgnored = false;
        for (int offset = 0; ; ) {
            if (responder.cancelRequested()) return cancelled(cmd, sent);
            QueryResult page = search(tenant, query, offset);
            optionalKeysIgnored |= !page.ignoredAttributes().isEmpty();
            for (DataSet match : page.matches()) {
                if (patients != null) {
                    patients.add(match);
                    continue;
                }
                if (responder.cancelRequested()) return cancelled(cmd, sent);
                pending(cmd, query.response(match, aeTitle), optionalKeysIgnored, responder);
                sent++;
            }
            if (!page.moreAvailable() || page.matches().isEmpty()) break;
            offset += page.matches().size();
        }
        if (patients != null) {
            for (DataSet patient : patients.patients()) {
                if (responder.cancelRequested()) return cancelled(cmd, sent);
                pending(cmd, query.response(patient, aeTitle), optionalKeysIgnored, responder);
                sent++;
            }
        }
        if (responder.cancelRequested()) return cancelled(cmd, sent);
        log.debug("C-FIND {} level {}: {} matches in tenant {}", cmd.messageId(), query.level, sent, tenant);
        return Status.SUCCESS;
    }

    private QueryResult search(TenantId tenant, FindQuery query, int offset) throws FindFailure {
        try {
            return index.search(tenant, query.page(offset, PAGE));
        } catch (IndexUnavailableException e) {
            log.warn("C-FIND refused: index unavailable: {}", e.getMessage());
            throw new FindFailure(Status.OUT_OF_RESOURCES, "index unavailable, retry later", -1);
        } catch (InvalidQueryException e) {
            throw new FindFailure(Status.DOES_NOT_MATCH_SOP_CLASS, e.getMessage(), dev.stratus.codec.DataDictionary.parseTag(e.parameter()));
        } catch (RuntimeException e) {
            log.error("C-FIND failed unexpectedly", e);
            throw new FindFailure(Status.CANNOT_UNDERSTAND, "unable to process: " + e, -1);
        }
    }

    private static void pending(CommandSet cmd, DataSet identifier, boolean warn, DimseResponder responder) throws IOException {
        CommandSet rsp = Responses.to(cmd, CommandField.C_FIND_RSP, warn ? Status.PENDING_WARNING : Status.PENDING);
        rsp.putUS(Tag.CommandDataSetType, CommandSet.DATA_SET_PRESENT);
        responder.respond(rsp, identifier);
    }

    private static int cancelled(CommandSet cmd, int sent) {
        log.debug("C-FIND {} cancelled after {} responses", cmd.messageId(), sent);
        return Status.CANCEL;
    }
}
