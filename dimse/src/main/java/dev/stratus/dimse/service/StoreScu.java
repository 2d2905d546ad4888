package dev.stratus.dimse.service;

import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.dimse.association.RequestorAssociation;
import dev.stratus.dimse.pdu.PresentationContextRq;
import dev.stratus.index.StoredInstance;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Storage SOP classes, SCU role (PS3.4 Annex B): the C-STORE sub-operations of one C-MOVE over one association of
 * ours to the destination. For each SOP class it proposes the syntaxes the instances are stored in, each alone (a
 * peer that takes one gets the stored bytes), and one context of the uncompressed fallbacks, to which the archive
 * converts an uncompressed instance whose own syntax was refused.
 */
final class StoreScu implements StoreDestination {
    /** PS3.8 9.3.2.2: presentation context IDs are odd numbers 1 to 255. */
    static final int MAX_PRESENTATION_CONTEXTS = 128;
    private static final List<String> FALLBACKS = List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid());

    private final RetrieveService retrieve;
    private final RequestorAssociation association;
    private final String originatorAeTitle;
    private final int originatorMessageId;

    private StoreScu(RetrieveService retrieve, RequestorAssociation association, String originatorAeTitle, int originatorMessageId) {
        this.retrieve = retrieve;
        this.association = association;
        this.originatorAeTitle = originatorAeTitle;
        this.originatorMessageId = originatorMessageId;
    }

    /** Opens the association to the destination for these instances; IOException when it cannot be reached or refuses. */
    static StoreScu open(DimseSettings settings, RetrieveService retrieve, String destinationAeTitle, DimseSettings.Destination destination,
                         List<StoredInstance> instances, String originatorAeTitle, int originatorMessageId) throws IOException {
        RequestorAssociation a = RequestorAssociation.open(destination.host(), destination.port(), settings.aeTitle(), destinationAeTitle,
                proposals(instances), settings.artimTimeout(), settings.idleTimeout(), settings.maxPduLength());
        return new StoreScu(retrieve, a, originatorAeTitle, originatorMessageId);
    }

    /** Per SOP class: each stored syntax other than the fallbacks alone, then the fallbacks; at most 128 contexts in all. */
    static List<PresentationContextRq> proposals(List<StoredInstance> instances) {
        Map<String, Set<String>> syntaxesByClass = new LinkedHashMap<>();
        for (StoredInstance i : instances) syntaxesByClass.computeIfAbsent(i.sopClassUid(), k -> new LinkedHashSet<>()).add(i.transferSyntaxUid());
        List<PresentationContextRq> out = new ArrayList<>();
        for (var e : syntaxesByClass.entrySet()) {
            for (String ts : e.getValue()) {
                if (!FALLBACKS.contains(ts)) add(out, e.getKey(), List.of(ts));
            }
            add(out, e.getKey(), FALLBACKS);
        }
        return out; // instances of classes beyond the limit find no context and fail as sub-operations
    }

    private static void add(List<PresentationContextRq> out, String sopClass, List<String> syntaxes) {
        if (out.size() < MAX_PRESENTATION_CONTEXTS) out.add(new PresentationContextRq(2 * out.size() + 1, sopClass, syntaxes));
    }

    @Override
    public int store(StoredInstance instance) throws IOException {
        PresentationContext pc = StoreDestination.choose(association.contexts(), instance);
        if (pc == null) {
            log.info("C-MOVE sub-operation for {} not sent: {} accepted no context of {} in {} or a syntax it converts to",
                    instance.sopInstanceUid(), association, instance.sopClassUid(), instance.transferSyntaxUid());
            return NO_PRESENTATION_CONTEXT;
        }
        InputStream in = StoreDestination.open(retrieve, instance, pc.transferSyntax());
        if (in == null) return UNREADABLE;
        try (in) {
            return StoreDestination.status(association.invoke(pc, StoreDestination.request(instance, originatorAeTitle, originatorMessageId), in::transferTo));
        }
    }

    @Override
    public void close() {
        association.release();
    }
}
