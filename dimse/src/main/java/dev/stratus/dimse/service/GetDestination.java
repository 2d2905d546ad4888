package dev.stratus.dimse.service;

import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.index.StoredInstance;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The C-GET requestor as Storage SCP on its own association (PS3.4 C.4.3.3): sub-operations go on the contexts
 * for which it took the SCP role in role selection negotiation (PS3.7 D.3.3.4), interleaved with the C-GET's responses.
 */
final class GetDestination implements StoreDestination {
    private final RetrieveService retrieve;
    private final DimseResponder association;
    private final List<PresentationContext> contexts;

    GetDestination(RetrieveService retrieve, DimseResponder association) {
        this.retrieve = retrieve;
        this.association = association;
        this.contexts = association.contexts().stream().filter(PresentationContext::peerIsScp).toList();
    }

    @Override
    public int store(StoredInstance instance) throws IOException {
        PresentationContext pc = StoreDestination.choose(contexts, instance);
        if (pc == null) {
            log.info("C-GET sub-operation for {} not sent: the requestor took the SCP role for no context of {} in {} or a syntax it converts to",
                    instance.sopInstanceUid(), instance.sopClassUid(), instance.transferSyntaxUid());
            return NO_PRESENTATION_CONTEXT;
        }
        InputStream in = StoreDestination.open(retrieve, instance, pc.transferSyntax());
        if (in == null) return UNREADABLE;
        try (in) {
            return StoreDestination.status(association.invoke(pc, StoreDestination.request(instance, null, 0), in::transferTo));
        }
    }

    @Override
    public void close() {}
}
