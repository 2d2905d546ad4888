package dev.stratus.dimse.service;

import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.dimse.message.CommandField;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.message.Status;
import dev.stratus.index.StoredInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;

/**
 * Where the C-STORE sub-operations of a retrieve go (PS3.4 C.4.2.3, C.4.3.3): a C-MOVE destination over an
 * association of ours ({@link StoreScu}), or the C-GET requestor itself over its own association ({@link GetDestination}).
 */
sealed interface StoreDestination extends AutoCloseable permits StoreScu, GetDestination {
    Logger log = LoggerFactory.getLogger(StoreDestination.class);

    /** Our status for a sub-operation that could not be sent: no presentation context fits the instance. */
    int NO_PRESENTATION_CONTEXT = Status.SOP_CLASS_NOT_SUPPORTED;
    /** Our status for a sub-operation whose instance could not be read (deleted meanwhile, unreadable, not convertible). */
    int UNREADABLE = Status.PROCESSING_FAILURE;

    /**
     * Sends one instance and returns the C-STORE-RSP status, or one of ours when it could not be sent.
     *
     * @throws IOException the association failed: no further instance can be sent over it
     */
    int store(StoredInstance instance) throws IOException;

    @Override
    void close();

    /**
     * The context to send an instance on: one whose transfer syntax is the stored one (its bytes go as they are),
     * else one whose syntax the archive converts the stored one to ({@link RetrieveService#canServe}: among
     * uncompressed syntaxes, or decoding compressed pixel data); null if none.
     */
    static PresentationContext choose(Collection<PresentationContext> accepted, StoredInstance instance) {
        PresentationContext convertible = null;
        for (PresentationContext pc : accepted) {
            if (!pc.abstractSyntax().equals(instance.sopClassUid())) continue;
            if (pc.transferSyntax().uid().equals(instance.transferSyntaxUid())) return pc;
            if (convertible == null && RetrieveService.canServe(instance.transferSyntaxUid(), pc.transferSyntax())) convertible = pc;
        }
        return convertible;
    }

    /** The C-STORE-RQ of a sub-operation (PS3.7 9.3.1.1); a C-MOVE's names its originator, a C-GET's does not. */
    static CommandSet request(StoredInstance instance, String moveOriginatorAeTitle, int moveOriginatorMessageId) {
        CommandSet rq = new CommandSet()
                .putUid(Tag.AffectedSOPClassUID, instance.sopClassUid())
                .putUS(Tag.CommandField, CommandField.C_STORE_RQ)
                .putUS(Tag.Priority, 0)
                .putUS(Tag.CommandDataSetType, CommandSet.DATA_SET_PRESENT)
                .putUid(Tag.AffectedSOPInstanceUID, instance.sopInstanceUid());
        if (moveOriginatorAeTitle != null) {
            rq.putText(Tag.MoveOriginatorApplicationEntityTitle, moveOriginatorAeTitle);
            rq.putUS(Tag.MoveOriginatorMessageID, moveOriginatorMessageId);
        }
        return rq;
    }

    /** The instance's data set in the context's syntax, or null (logged) when it cannot be read. */
    static InputStream open(RetrieveService retrieve, StoredInstance instance, TransferSyntax ts) {
        try {
            return retrieve.openDataSet(instance, ts);
        } catch (IOException | RuntimeException e) {
            log.warn("C-STORE sub-operation for {} not sent: {}", instance.sopInstanceUid(), e.toString());
            return null;
        }
    }

    /** The status of a response, a missing one counting as a failure. */
    static int status(CommandSet rsp) {
        int s = rsp.status();
        return s < 0 ? Status.PROCESSING_FAILURE : s;
    }
}
