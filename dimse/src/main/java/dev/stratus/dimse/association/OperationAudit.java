package dev.stratus.dimse.association;

import dev.stratus.archive.audit.AuditLog;
import dev.stratus.archive.audit.AuditRecord;
import dev.stratus.codec.Tag;
import dev.stratus.codec.Uids;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.dimse.TenantPolicy;
import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.pdu.AAssociateRq;
import dev.stratus.dimse.service.AccessNote;
import dev.stratus.dimse.service.AssociationInfo;
import dev.stratus.index.TenantId;

import java.net.InetAddress;
import java.time.Instant;

/**
 * One audit record per DICOM operation that touches the archive's data (C-STORE per instance, C-FIND, C-MOVE, C-GET,
 * Storage Commitment's N-ACTION; not C-ECHO), in the trail HTTP requests go to, and one per association rejected by
 * policy (AE titles, client certificate, user identity). Who: the calling AE title as the client, the client
 * certificate's subject as the subject. Never an attribute of a data set or identifier other than its UIDs.
 */
public record OperationAudit(AuditLog log, TenantPolicy tenants) {
    void operation(AssociationInfo info, CommandSet request, AccessNote note, int finalStatus) {
        int field = request.commandField();
        String action = switch (field) {
            case CommandField.C_STORE_RQ -> "store";
            case CommandField.C_FIND_RQ -> "search";
            case CommandField.C_MOVE_RQ, CommandField.C_GET_RQ -> "retrieve";
            case CommandField.N_ACTION_RQ -> "commit";
            default -> null;
        };
        if (action == null || !log.enabled()) return;
        String instance = note.instance();
        if (instance == null && field == CommandField.C_STORE_RQ) instance = uid(request.getString(Tag.AffectedSOPInstanceUID));
        String destination = field == CommandField.C_MOVE_RQ ? request.getString(Tag.MoveDestination) : null;
        if (destination != null && !DimseSettings.isValidAeTitle(destination)) destination = AuditRecord.INVALID;
        log.record(new AuditRecord(Instant.now(), subject(info), info.callingAeTitle(), tenant(info, request), action,
                field == CommandField.C_STORE_RQ ? "WRITE" : "READ", note.study(), note.series(), instance, finalStatus,
                info.remoteAddress().getHostAddress(), null,
                new AuditRecord.Dimse(CommandField.name(field), info.callingAeTitle(), info.calledAeTitle(), destination, info.tls() != null)));
    }

    /** An A-ASSOCIATE-RQ refused by policy: status -1, outcome denied. */
    void rejected(AAssociateRq rq, InetAddress remote, boolean tls, String subject) {
        if (!log.enabled()) return;
        String calling = DimseSettings.isValidAeTitle(rq.callingAeTitle()) ? rq.callingAeTitle() : AuditRecord.INVALID;
        String called = DimseSettings.isValidAeTitle(rq.calledAeTitle()) ? rq.calledAeTitle() : AuditRecord.INVALID;
        log.record(new AuditRecord(Instant.now(), subject, calling, null, "associate", null, null, null, null, -1,
                remote.getHostAddress(), null, new AuditRecord.Dimse("A-ASSOCIATE-RQ", calling, called, null, tls)));
    }

    private static String subject(AssociationInfo info) {
        return info.tls() == null ? null : info.tls().subject();
    }

    /** The tenant the request was served in; a name it gave that was refused is copied only when it is a tenant name. */
    private String tenant(AssociationInfo info, CommandSet request) {
        return switch (tenants.forRequest(info, request)) {
            case TenantPolicy.Decision.Tenant t -> t.tenant().name();
            case TenantPolicy.Decision.Refused r -> {
                String named = request.getString(TenantPolicy.TENANT_COMMAND_ATTRIBUTE);
                yield named != null && TenantId.isValid(named) ? named : AuditRecord.INVALID;
            }
        };
    }

    private static String uid(String value) {
        return value != null && Uids.isValid(value) ? value : null;
    }
}
