package dev.stratus.dimse.service;

import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.dimse.TenantPolicy;
import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.message.Status;
import dev.stratus.index.Index;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Query/Retrieve MOVE and GET of the Patient Root and Study Root models (PS3.4 C.4.2, C.4.3), SCP role. The
 * identifier selects what a C-FIND at its level would match ({@link RetrieveSelection}); each instance is one
 * C-STORE sub-operation, to the Move Destination over an association of ours (looked up in the tenant's table,
 * never dialled when unknown) or back to the C-GET requestor on its own association. A pending response with the
 * counts follows each sub-operation, a C-CANCEL is honoured between them, and the final status follows
 * PS3.4 C.4.2.1.4: success, warning 0xB000 with the Failed SOP Instance UID List when some failed or warned,
 * failure 0xA702 when all failed.
 */
public final class RetrieveScp implements DimseService {
    private static final Logger log = LoggerFactory.getLogger(RetrieveScp.class);

    private final int commandField;
    private final Index index;
    private final RetrieveService retrieve;
    private final TenantPolicy tenants;
    private final DimseSettings settings;
    private final Semaphore moves;

    private RetrieveScp(int commandField, Index index, RetrieveService retrieve, TenantPolicy tenants, DimseSettings settings) {
        this.commandField = commandField;
        this.index = index;
        this.retrieve = retrieve;
        this.tenants = tenants;
        this.settings = settings;
        this.moves = new Semaphore(settings.maxConcurrentMoves());
    }

    public static RetrieveScp move(Index index, RetrieveService retrieve, TenantPolicy tenants, DimseSettings settings) {
        return new RetrieveScp(CommandField.C_MOVE_RQ, index, retrieve, tenants, settings);
    }

    public static RetrieveScp get(Index index, RetrieveService retrieve, TenantPolicy tenants, DimseSettings settings) {
        return new RetrieveScp(CommandField.C_GET_RQ, index, retrieve, tenants, settings);
    }

    private boolean isMove() { return commandField == CommandField.C_MOVE_RQ; }

    @Override
    public int commandField() { return commandField; }

    @Override
    public boolean supports(String abstractSyntax) {
        return isMove() ? SopClass.PATIENT_ROOT_QR_MOVE.equals(abstractSyntax) || SopClass.STUDY_ROOT_QR_MOVE.equals(abstractSyntax)
                : SopClass.PATIENT_ROOT_QR_GET.equals(abstractSyntax) || SopClass.STUDY_ROOT_QR_GET.equals(abstractSyntax);
    }

    @Override
    public boolean accepts(String abstractSyntax, TransferSyntax ts) { return ts.isUncompressed(); }

    @Override
    public DataSetSink openDataSet(DimseRequest request) {
        return new MemorySink(FindScp.MAX_IDENTIFIER_LENGTH);
    }

    @Override
    public void handle(DimseRequest request, DataSetSink dataSet, DimseResponder responder) throws IOException {
        CommandSet cmd = request.command();
        int rspField = commandField | 0x8000;
        try {
            TenantId tenant = tenant(request);
            DataSet identifier = FindScp.identifier(request, dataSet);
            String destinationAe = null;
            DimseSettings.Destination destination = null;
            if (isMove()) {
                destinationAe = cmd.getString(Tag.MoveDestination);
                destination = destinationAe == null ? null : tenants.destination(tenant, destinationAe);
                if (destination == null) {
                    log.info("C-MOVE from {} refused: unknown Move Destination {} for tenant {}", request.association().callingAeTitle(), destinationAe, tenant);
                    throw new FindFailure(Status.MOVE_DESTINATION_UNKNOWN,
                            destinationAe == null ? "no Move Destination (0000,0600)" : "unknown Move Destination " + destinationAe, -1);
                }
            }
            List<StoredInstance> instances = RetrieveSelection.select(index, tenant, request.context().abstractSyntax(), identifier);
            if (!isMove()) {
                respondFinal(request, run(request, instances, new GetDestination(retrieve, responder), responder), responder);
                return;
            }
            if (!moves.tryAcquire()) {
                throw new FindFailure(Status.OUT_OF_RESOURCES_SUB_OPERATIONS, settings.maxConcurrentMoves() + " moves sending already, retry later", -1);
            }
            Outcome outcome;
            try {
                outcome = move(request, instances, destinationAe, destination, responder);
            } finally {
                moves.release(); // before the final response: a requestor told the move is over may start the next at once
            }
            respondFinal(request, outcome, responder);
        } catch (FindFailure f) {
            CommandSet rsp = Responses.failure(cmd, rspField, f.status, f.getMessage());
            if (f.offendingElement != -1) rsp.putAttributeTag(Tag.OffendingElement, f.offendingElement);
            responder.respond(rsp, null);
        }
    }

    /** How a retrieve ended: its final status, Error Comment (or null) and counts. */
    private record Outcome(int status, String comment, Counts counts) {}

    private Outcome move(DimseRequest request, List<StoredInstance> instances, String destinationAe, DimseSettings.Destination destination,
                         DimseResponder responder) throws IOException {
        if (instances.isEmpty()) return run(request, instances, null, responder); // nothing to send: no association either
        StoreScu scu;
        try {
            scu = StoreScu.open(settings, retrieve, destinationAe, destination, instances, request.association().callingAeTitle(), request.command().messageId());
        } catch (IOException e) {
            log.warn("C-MOVE to {} ({}) failed: {}", destinationAe, destination, e.getMessage());
            Counts counts = new Counts(instances.size());
            for (StoredInstance i : instances) counts.failed(i);
            return new Outcome(Status.OUT_OF_RESOURCES_SUB_OPERATIONS, "cannot reach " + destinationAe + ": " + e.getMessage(), counts);
        }
        try (scu) {
            return run(request, instances, scu, responder);
        }
    }

    /** One sub-operation per instance and a pending response after each but the last; returns what the final response says. */
    private Outcome run(DimseRequest request, List<StoredInstance> instances, StoreDestination destination, DimseResponder responder) throws IOException {
        Counts counts = new Counts(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            if (responder.cancelRequested()) {
                log.info("{} {} cancelled by {} after {} of {} sub-operations", CommandField.name(commandField), request.command().messageId(),
                        request.association().callingAeTitle(), i, instances.size());
                return new Outcome(Status.CANCEL, null, counts);
            }
            StoredInstance instance = instances.get(i);
            int status;
            try {
                status = destination.store(instance);
            } catch (IOException e) {
                if (!isMove()) throw e; // the C-GET's own association failed: nothing more can be said on it
                log.warn("C-MOVE association {} failed after {} of {} sub-operations: {}", destination, i, instances.size(), e.getMessage());
                for (int j = i; j < instances.size(); j++) counts.failed(instances.get(j));
                break;
            }
            if (status == Status.SUCCESS) counts.completed++;
            else if (Status.isWarning(status)) counts.warning++;
            else counts.failed(instance);
            if (i + 1 < instances.size()) {
                CommandSet pending = Responses.to(request.command(), commandField | 0x8000, Status.PENDING);
                counts.put(pending, true);
                responder.respond(pending, null);
            }
        }
        int status = counts.failed == 0 && counts.warning == 0 ? Status.SUCCESS
                : counts.completed == 0 && counts.warning == 0 ? Status.OUT_OF_RESOURCES_SUB_OPERATIONS : Status.SUB_OPERATIONS_WARNING;
        log.info("{} {} from {}: {} instances, {} completed, {} warning, {} failed", CommandField.name(commandField), request.command().messageId(),
                request.association().callingAeTitle(), instances.size(), counts.completed, counts.warning, counts.failed);
        return new Outcome(status, status == Status.SUCCESS ? null : counts.failed + " of " + instances.size() + " sub-operations failed", counts);
    }

    /** The final response: the counts, and the Failed SOP Instance UID List as its identifier when any failed (PS3.4 C.4.2.1.7). */
    private void respondFinal(DimseRequest request, Outcome outcome, DimseResponder responder) throws IOException {
        Counts counts = outcome.counts();
        CommandSet rsp = Responses.to(request.command(), commandField | 0x8000, outcome.status());
        if (outcome.comment() != null) rsp.putErrorComment(outcome.comment());
        counts.put(rsp, outcome.status() == Status.CANCEL);
        DataSet identifier = null;
        if (!counts.failedUids.isEmpty()) {
            identifier = new DataSet(1);
            identifier.setString(Tag.FailedSOPInstanceUIDList, VR.UI, counts.failedUids.toArray(String[]::new));
            rsp.putUS(Tag.CommandDataSetType, CommandSet.DATA_SET_PRESENT);
        }
        responder.respond(rsp, identifier);
    }

    private TenantId tenant(DimseRequest request) throws FindFailure {
        return switch (tenants.forRequest(request.association(), request.command())) {
            case TenantPolicy.Decision.Tenant t -> t.tenant();
            case TenantPolicy.Decision.Refused r -> throw new FindFailure(r.status(), r.comment(), -1);
        };
    }

    /** Sub-operation counts of one retrieve (PS3.7 9.3.3.2, 9.3.4.2). */
    private static final class Counts {
        final int total;
        int completed, failed, warning;
        final List<String> failedUids = new ArrayList<>();

        Counts(int total) { this.total = total; }

        void failed(StoredInstance i) {
            failed++;
            failedUids.add(i.sopInstanceUid());
        }

        /** Remaining only in pending and cancel responses, the others in every one. */
        void put(CommandSet rsp, boolean withRemaining) {
            if (withRemaining) rsp.putUS(Tag.NumberOfRemainingSuboperations, us(total - completed - failed - warning));
            rsp.putUS(Tag.NumberOfCompletedSuboperations, us(completed));
            rsp.putUS(Tag.NumberOfFailedSuboperations, us(failed));
            rsp.putUS(Tag.NumberOfWarningSuboperations, us(warning));
        }

        /** The counts are US: a retrieve of more than 65535 instances reports 65535 until fewer remain. */
        private static int us(int n) { return Math.min(n, 0xFFFF); }
    }
}
