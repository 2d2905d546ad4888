package dev.stratus.dimse.service;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.SequenceElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.dimse.TenantPolicy;
import dev.stratus.dimse.association.RequestorAssociation;
import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.message.Status;
import dev.stratus.dimse.pdu.PresentationContextRq;
import dev.stratus.dimse.pdu.RoleSelection;
import dev.stratus.index.Index;
import dev.stratus.index.IndexUnavailableException;
import dev.stratus.index.TenantId;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.QidoQuery;
import dev.stratus.index.query.QidoQueryParser;
import dev.stratus.index.query.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Storage Commitment Push Model (PS3.4 Annex J), SCP role. The N-ACTION names instances by SOP Class and Instance
 * UID; once it is answered, an N-EVENT-REPORT commits exactly those the index holds in the caller's tenant with
 * that SOP class (the index lists an instance only once it is durable) and lists the others with their failure
 * reason. The report goes on the N-ACTION's association, or, when configured, on a new one to the requestor's AE
 * title looked up among the destinations, proposing us as SCP by role selection (PS3.4 J.3.3).
 */
public final class StorageCommitmentScp implements DimseService {
    private static final Logger log = LoggerFactory.getLogger(StorageCommitmentScp.class);
    private static final int LOOKUP_CHUNK = 100; // UIDs per index query: a list match of a few kilobytes

    private final Index index;
    private final TenantPolicy tenants;
    private final DimseSettings settings;

    public StorageCommitmentScp(Index index, TenantPolicy tenants, DimseSettings settings) {
        this.index = index;
        this.tenants = tenants;
        this.settings = settings;
    }

    @Override
    public int commandField() { return CommandField.N_ACTION_RQ; }

    @Override
    public boolean supports(String abstractSyntax) { return SopClass.STORAGE_COMMITMENT_PUSH.equals(abstractSyntax); }

    @Override
    public boolean accepts(String abstractSyntax, TransferSyntax ts) { return ts.isUncompressed(); }

    @Override
    public DataSetSink openDataSet(DimseRequest request) {
        return new MemorySink(FindScp.MAX_IDENTIFIER_LENGTH); // about 10,000 references at most
    }

    /** A reference of the request: the SOP class it names, and the instance. */
    private record Reference(String sopClassUid, String sopInstanceUid) {}

    @Override
    public void handle(DimseRequest request, DataSetSink dataSet, DimseResponder responder) throws IOException {
        CommandSet cmd = request.command();
        String transaction;
        List<Reference> references;
        TenantId tenant;
        DimseSettings.Destination reportTo = null;
        try {
            tenant = check(request);
            DataSet ds = FindScp.identifier(request, dataSet);
            transaction = ds.getString(Tag.TransactionUID);
            if (transaction == null || !Uids.isValid(transaction)) throw new FindFailure(Status.MISSING_ATTRIBUTE, "no valid Transaction UID (0008,1195)", Tag.TransactionUID);
            references = references(ds);
            if (settings.commitmentReportOnNewAssociation()) {
                reportTo = tenants.destination(tenant, request.association().callingAeTitle());
                if (reportTo == null) {
                    throw new FindFailure(Status.PROCESSING_FAILURE, "no address known for " + request.association().callingAeTitle() + " to report to", -1);
                }
            }
        } catch (FindFailure f) {
            CommandSet rsp = response(cmd, f.status).putErrorComment(f.getMessage());
            responder.respond(rsp, null);
            return;
        }
        responder.respond(response(cmd, Status.SUCCESS), null);
        DataSet result;
        try {
            result = result(tenant, transaction, references);
        } catch (IndexUnavailableException e) {
            log.warn("Storage Commitment {} from {} not reported: index unavailable: {}", transaction, request.association().callingAeTitle(), e.getMessage());
            return; // the requestor asks again after its own timeout (PS3.4 J.3.2)
        }
        int eventType = result.contains(Tag.FailedSOPSequence) ? 2 : 1; // 1: all committed; 2: failures exist
        CommandSet report = new CommandSet()
                .putUid(Tag.AffectedSOPClassUID, SopClass.STORAGE_COMMITMENT_PUSH)
                .putUS(Tag.CommandField, CommandField.N_EVENT_REPORT_RQ)
                .putUS(Tag.CommandDataSetType, CommandSet.DATA_SET_PRESENT)
                .putUid(Tag.AffectedSOPInstanceUID, SopClass.STORAGE_COMMITMENT_PUSH_INSTANCE)
                .putUS(Tag.EventTypeID, eventType);
        CommandSet rsp;
        if (reportTo == null) {
            byte[] encoded = DicomWriter.encode(result, request.context().transferSyntax());
            rsp = responder.invoke(request.context(), report, out -> out.write(encoded));
        } else {
            rsp = reportOnNewAssociation(request.association().callingAeTitle(), reportTo, report, result);
            if (rsp == null) return;
        }
        log.info("Storage Commitment {} from {} in tenant {}: {} references, event type {}, N-EVENT-REPORT-RSP status {}", transaction,
                request.association().callingAeTitle(), tenant, references.size(), eventType, String.format("%04X", rsp.status()));
    }

    private CommandSet reportOnNewAssociation(String aeTitle, DimseSettings.Destination to, CommandSet report, DataSet result) {
        List<PresentationContextRq> pcs = List.of(new PresentationContextRq(1, SopClass.STORAGE_COMMITMENT_PUSH,
                List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid())));
        try (RequestorAssociation a = RequestorAssociation.open(to.host(), to.port(), settings.aeTitle(), aeTitle, pcs,
                List.of(new RoleSelection(SopClass.STORAGE_COMMITMENT_PUSH, false, true)), settings.artimTimeout(), settings.idleTimeout(), settings.maxPduLength())) {
            PresentationContext pc = a.contexts().iterator().next();
            byte[] encoded = DicomWriter.encode(result, pc.transferSyntax());
            CommandSet rsp = a.invoke(pc, report, out -> out.write(encoded));
            a.release();
            return rsp;
        } catch (IOException e) {
            log.warn("Storage Commitment result not delivered to {} at {}: {}", aeTitle, to, e.getMessage());
            return null; // the requestor asks again after its own timeout
        }
    }

    /** The tenant, once the command is one this SCP carries out (PS3.4 J.3.2, PS3.7 10.1.4). */
    private TenantId check(DimseRequest request) throws FindFailure {
        CommandSet cmd = request.command();
        if (!SopClass.STORAGE_COMMITMENT_PUSH.equals(cmd.getString(Tag.RequestedSOPClassUID))
                || !SopClass.STORAGE_COMMITMENT_PUSH.equals(request.context().abstractSyntax())) {
            throw new FindFailure(Status.SOP_CLASS_NOT_SUPPORTED, "Requested SOP Class is not Storage Commitment Push Model", -1);
        }
        if (!SopClass.STORAGE_COMMITMENT_PUSH_INSTANCE.equals(cmd.getString(Tag.RequestedSOPInstanceUID))) {
            throw new FindFailure(Status.NO_SUCH_SOP_INSTANCE, "Requested SOP Instance is not " + SopClass.STORAGE_COMMITMENT_PUSH_INSTANCE, -1);
        }
        if (cmd.getUS(Tag.ActionTypeID) != 1) throw new FindFailure(Status.NO_SUCH_ACTION, "Action Type ID is not 1 (Request Storage Commitment)", -1);
        return switch (tenants.forRequest(request.association(), cmd)) {
            case TenantPolicy.Decision.Tenant t -> t.tenant();
            case TenantPolicy.Decision.Refused r -> throw new FindFailure(r.status(), r.comment(), -1);
        };
    }

    private static List<Reference> references(DataSet ds) throws FindFailure {
        if (!(ds.get(Tag.ReferencedSOPSequence) instanceof SequenceElement seq) || seq.items().isEmpty()) {
            throw new FindFailure(Status.MISSING_ATTRIBUTE, "no Referenced SOP Sequence (0008,1199)", Tag.ReferencedSOPSequence);
        }
        List<Reference> out = new ArrayList<>(seq.items().size());
        for (DataSet item : seq.items()) {
            String cls = item.getString(Tag.ReferencedSOPClassUID), sop = item.getString(Tag.ReferencedSOPInstanceUID);
            if (cls == null || sop == null) throw new FindFailure(Status.MISSING_ATTRIBUTE, "a Referenced SOP Sequence item without its UIDs", Tag.ReferencedSOPSequence);
            out.add(new Reference(cls, sop));
        }
        return out;
    }

    /** The event information (PS3.4 J.3.3.1): the committed references, and the failed ones with their reason. */
    private DataSet result(TenantId tenant, String transaction, List<Reference> references) {
        Map<String, String> classOfStored = storedClasses(tenant, references);
        List<DataSet> committed = new ArrayList<>(), failed = new ArrayList<>();
        for (Reference r : references) {
            String stored = classOfStored.get(r.sopInstanceUid());
            DataSet item = new DataSet(3);
            item.setString(Tag.ReferencedSOPClassUID, VR.UI, r.sopClassUid());
            item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, r.sopInstanceUid());
            if (stored != null && stored.equals(r.sopClassUid())) {
                committed.add(item);
                continue;
            }
            item.setInt(Tag.FailureReason, VR.US, stored == null ? Status.NO_SUCH_SOP_INSTANCE : Status.CLASS_INSTANCE_CONFLICT);
            failed.add(item);
        }
        DataSet ds = new DataSet(4);
        ds.setString(Tag.TransactionUID, VR.UI, transaction);
        ds.setString(Tag.RetrieveAETitle, VR.AE, settings.aeTitle());
        if (!committed.isEmpty()) ds.setSequence(Tag.ReferencedSOPSequence, committed);
        if (!failed.isEmpty()) ds.setSequence(Tag.FailedSOPSequence, failed);
        return ds;
    }

    /** SOP Instance UID → SOP Class UID of the referenced instances the index holds in the tenant (invalid UIDs are not looked up). */
    private Map<String, String> storedClasses(TenantId tenant, List<Reference> references) {
        Set<String> distinct = new LinkedHashSet<>();
        for (Reference r : references) if (Uids.isValid(r.sopInstanceUid())) distinct.add(r.sopInstanceUid());
        List<String> uids = List.copyOf(distinct);
        Map<String, String> out = new HashMap<>();
        for (int from = 0; from < uids.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = uids.subList(from, Math.min(uids.size(), from + LOOKUP_CHUNK));
            QidoQuery q = QidoQueryParser.parse(Level.INSTANCE, null, null, Map.of(
                    Tag.toHex(Tag.SOPInstanceUID), List.of(String.join("\\", chunk)), Tag.toHex(Tag.SOPClassUID), List.of("")));
            for (int offset = 0; ; ) {
                QueryResult page = index.search(tenant, new QidoQuery(q.level(), null, null, q.matches(), false, q.includeFields(), false,
                        500, offset, q.orderBy()));
                for (DataSet m : page.matches()) out.put(m.getString(Tag.SOPInstanceUID), m.getString(Tag.SOPClassUID));
                if (!page.moreAvailable() || page.matches().isEmpty()) break;
                offset += page.matches().size();
            }
        }
        return out;
    }

    /** N-ACTION-RSP (PS3.7 10.1.4.1.x): Affected SOP Class and Instance are the requested ones, with the Action Type ID. */
    private static CommandSet response(CommandSet rq, int status) {
        CommandSet rsp = new CommandSet()
                .putUS(Tag.CommandField, CommandField.N_ACTION_RSP)
                .putUS(Tag.MessageIDBeingRespondedTo, rq.messageId())
                .putUS(Tag.CommandDataSetType, CommandSet.NO_DATA_SET)
                .putUS(Tag.Status, status);
        String cls = rq.getString(Tag.RequestedSOPClassUID), sop = rq.getString(Tag.RequestedSOPInstanceUID);
        if (cls != null && Uids.isValid(cls)) rsp.putUid(Tag.AffectedSOPClassUID, cls);
        if (sop != null && Uids.isValid(sop)) rsp.putUid(Tag.AffectedSOPInstanceUID, sop);
        if (rq.getUS(Tag.ActionTypeID) >= 0) rsp.putUS(Tag.ActionTypeID, rq.getUS(Tag.ActionTypeID));
        return rsp;
    }
}
