package dev.stratus.archive.ingest;

import dev.stratus.index.Index;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.StoreResult;
import dev.stratus.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the commit of the store path made of each record, once the index's transaction returned (durable), and the
 * blobs that it left unreferenced deleted: the earlier copy of each replaced instance, the new blob of each conflict.
 */
final class IndexCommit {
    private static final Logger log = LoggerFactory.getLogger(IndexCommit.class);

    /** What the index made of one record. */
    sealed interface Verdict {
        /** Indexed; {@code replaced}: an earlier copy with the same SOP Instance UID was. */
        record Indexed(boolean replaced) implements Verdict {}

        /** Not indexed: its UIDs conflict with what is stored (such as its SOP Instance UID in another series). */
        record Conflict(String reason) implements Verdict {}
    }

    private IndexCommit() {}

    /**
     * The verdicts on {@code records}, in order, from the {@code result} of their {@link Index#store}; the index answers
     * by SOP Instance UID, so a transaction holds each once.
     */
    static List<Verdict> verdicts(BlobStore store, List<InstanceRecord> records, StoreResult result) {
        Set<String> replaced = new HashSet<>();
        for (StoreResult.Replaced r : result.replaced()) {
            replaced.add(r.sopInstanceUid());
            deleteOrphan(store, r.oldBlobKey());
        }
        Map<String, String> conflicts = new HashMap<>();
        for (StoreResult.Conflict c : result.conflicts()) conflicts.put(c.sopInstanceUid(), c.reason());
        List<Verdict> verdicts = new ArrayList<>(records.size());
        for (InstanceRecord r : records) {
            String conflict = conflicts.get(r.sopInstanceUid());
            if (conflict != null) deleteOrphan(store, r.blobKey());
            verdicts.add(conflict != null ? new Verdict.Conflict(conflict) : new Verdict.Indexed(replaced.contains(r.sopInstanceUid())));
        }
        return verdicts;
    }

    /** Deletes a blob nothing refers to; one that cannot be is left as an unreferenced orphan, which nothing serves. */
    static void deleteOrphan(BlobStore store, String key) {
        try {
            store.delete(key);
        } catch (IOException e) {
            log.warn("could not delete blob {} (left as an unreferenced orphan): {}", key, e.toString());
        }
    }
}
