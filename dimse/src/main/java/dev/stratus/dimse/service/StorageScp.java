package dev.stratus.dimse.service;

import dev.stratus.archive.ingest.IngestAdmission;
import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.archive.ingest.IngestService;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.UidDictionary;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.dimse.TenantPolicy;
import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.message.Status;
import dev.stratus.index.IndexUnavailableException;
import dev.stratus.index.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Storage SOP classes (PS3.4 Annex B), SCP role. The data set is streamed into a Part 10 spool file whose
 * File Meta Information comes from the command (Affected SOP Class and Instance UIDs) and the accepted
 * transfer syntax, then handed to the archive's one ingest path. Success is answered only once the
 * instance is durable and indexed; every failure carries its status and an Error Comment.
 */
public final class StorageScp implements DimseService {
    private static final Logger log = LoggerFactory.getLogger(StorageScp.class);

    private final IngestService ingest;
    private final TenantPolicy tenants;
    private final Path spoolDir;

    public StorageScp(IngestService ingest, TenantPolicy tenants, Path spoolDir) {
        this.ingest = ingest;
        this.tenants = tenants;
        this.spoolDir = spoolDir;
    }

    @Override
    public int commandField() { return CommandField.C_STORE_RQ; }

    @Override
    public boolean supports(String abstractSyntax) { return UidDictionary.isStorageSopClass(abstractSyntax); }

    @Override
    public boolean accepts(String abstractSyntax, TransferSyntax ts) {
        // MIME (1.2.840.10008.1.2.6.1) and XML (…6.2) encodings are not binary data sets the codec parses.
        return !ts.uid().startsWith("1.2.840.10008.1.2.6.");
    }

    @Override
    public DataSetSink openDataSet(DimseRequest request) {
        if (refusal(request) != null) return DataSetSink.DISCARD;
        CommandSet cmd = request.command();
        DataSet sop = new DataSet(2);
        sop.setString(Tag.SOPClassUID, VR.UI, cmd.getString(Tag.AffectedSOPClassUID));
        sop.setString(Tag.SOPInstanceUID, VR.UI, cmd.getString(Tag.AffectedSOPInstanceUID));
        DataSet meta = DicomWriter.fileMetaFor(sop, request.context().transferSyntax(), request.association().callingAeTitle());
        String full = ingest.space().fullReason();
        if (full != null) return new FailedSink(new IOException("storage full: " + full)); // nothing written: the reserve stays the index's
        try {
            return SpoolSink.create(spoolDir, meta);
        } catch (IOException e) {
            log.warn("cannot spool C-STORE data set in {}: {}", spoolDir, e.toString());
            return new FailedSink(e); // answered 0xA700 once the data set has been received and dropped
        }
    }

    @Override
    public void handle(DimseRequest request, DataSetSink dataSet, DimseResponder responder) throws IOException {
        CommandSet cmd = request.command();
        CommandSet rsp = answer(request, dataSet);
        String sop = cmd.getString(Tag.AffectedSOPInstanceUID);
        if (sop != null && Uids.isValid(sop)) rsp.putUid(Tag.AffectedSOPInstanceUID, sop);
        responder.respond(rsp, null);
    }

    private CommandSet answer(DimseRequest request, DataSetSink dataSet) {
        CommandSet cmd = request.command();
        CommandSet refusal = refusal(request);
        if (refusal != null) return refusal;
        if (dataSet == null) return failure(cmd, Status.CANNOT_UNDERSTAND, "C-STORE-RQ without a data set");
        if (dataSet instanceof FailedSink f) return failure(cmd, Status.OUT_OF_RESOURCES, "cannot spool: " + f.cause.getMessage());
        SpoolSink spool = (SpoolSink) dataSet;
        if (spool.failure() != null) {
            if (ingest.space().observe(spool.failure())) return failure(cmd, Status.OUT_OF_RESOURCES, "storage full: " + ingest.space().fullReason());
            return failure(cmd, Status.OUT_OF_RESOURCES, "cannot spool: " + spool.failure().getMessage());
        }
        TenantId tenant = ((TenantPolicy.Decision.Tenant) tenantDecision(request)).tenant(); // refusal() ruled out Refused
        IngestOutcome outcome;
        // The same budget as STOW-RS for the parse and store (the receive is bounded by the association limits).
        try (IngestAdmission.Permit running = ingest.admit()) {
            Path file = spool.finish();
            outcome = ingest.ingestFile(tenant, file, spool.head(), "C-STORE " + request.association().callingAeTitle());
        } catch (IngestAdmission.Busy e) {
            log.warn("C-STORE of {} refused: {}", cmd.getString(Tag.AffectedSOPInstanceUID), e.getMessage());
            return failure(cmd, Status.OUT_OF_RESOURCES, "busy: too many stores at once, retry later");
        } catch (IndexUnavailableException e) {
            log.warn("C-STORE of {} refused: index unavailable: {}", cmd.getString(Tag.AffectedSOPInstanceUID), e.getMessage());
            return failure(cmd, Status.OUT_OF_RESOURCES, "index unavailable, retry later");
        } catch (IOException e) {
            log.warn("C-STORE of {} failed: {}", cmd.getString(Tag.AffectedSOPInstanceUID), e.toString());
            if (ingest.space().observe(e)) return failure(cmd, Status.OUT_OF_RESOURCES, "storage full: " + ingest.space().fullReason());
            return failure(cmd, Status.OUT_OF_RESOURCES, "storage failure: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("C-STORE of {} failed unexpectedly", cmd.getString(Tag.AffectedSOPInstanceUID), e);
            return failure(cmd, Status.PROCESSING_FAILURE, "processing failure: " + e);
        }
        if (outcome instanceof IngestOutcome.Stored s) request.note().uids(s.studyUid(), s.seriesUid(), s.sopInstanceUid());
        return switch (outcome) {
            case IngestOutcome.Failed f -> failure(cmd, f.reason(), f.message());
            case IngestOutcome.Stored s -> stored(cmd, s, tenant);
        };
    }

    private CommandSet stored(CommandSet cmd, IngestOutcome.Stored s, TenantId tenant) {
        log.debug("stored {} in tenant {} ({})", s.sopInstanceUid(), tenant, s.transferSyntaxUid());
        String affectedClass = cmd.getString(Tag.AffectedSOPClassUID);
        if (!affectedClass.equals(s.sopClassUid())) {
            // Stored (ingest accepted it), but the sender should know its command and data set disagree.
            return failure(cmd, Status.WARNING_DATA_SET_DOES_NOT_MATCH, "SOPClassUID " + s.sopClassUid() + " differs from the command");
        }
        if (s.warningReason() != null) return failure(cmd, s.warningReason(), s.warning());
        return Responses.to(cmd, CommandField.C_STORE_RSP, Status.SUCCESS);
    }

    /** Why the request is refused before its data set is even looked at, or null. */
    private CommandSet refusal(DimseRequest request) {
        CommandSet cmd = request.command();
        String sopClass = cmd.getString(Tag.AffectedSOPClassUID);
        String sop = cmd.getString(Tag.AffectedSOPInstanceUID);
        String abstractSyntax = request.context().abstractSyntax();
        if (sopClass == null) return failure(cmd, Status.CANNOT_UNDERSTAND, "no Affected SOP Class UID in the C-STORE-RQ");
        if (!supports(abstractSyntax) || !UidDictionary.isStorageSopClass(sopClass)) {
            return failure(cmd, Status.SOP_CLASS_NOT_SUPPORTED, "not a storage SOP class: " + sopClass);
        }
        if (!sopClass.equals(abstractSyntax)) {
            return failure(cmd, Status.SOP_CLASS_NOT_SUPPORTED, "SOP class differs from presentation context " + request.context().id());
        }
        if (sop == null || !Uids.isValid(sop)) return failure(cmd, Status.CANNOT_UNDERSTAND, "invalid Affected SOP Instance UID");
        if (tenantDecision(request) instanceof TenantPolicy.Decision.Refused r) return failure(cmd, r.status(), r.comment());
        return null;
    }

    private TenantPolicy.Decision tenantDecision(DimseRequest request) {
        return tenants.forRequest(request.association(), request.command());
    }

    private static CommandSet failure(CommandSet cmd, int status, String comment) {
        return Responses.failure(cmd, CommandField.C_STORE_RSP, status, comment);
    }

    /** The spool file could not be created: the data set is dropped and the request answered out of resources. */
    private record FailedSink(IOException cause) implements DataSetSink {
        @Override
        public void write(byte[] buffer, int offset, int length) {}

        @Override
        public void close() {}
    }
}
