package dev.stratus.archive.ingest;

import dev.stratus.index.GroupedWork;
import dev.stratus.index.Index;
import dev.stratus.index.IndexUnavailableException;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.StoreResult;
import dev.stratus.storage.BlobStore;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The index commits of the store path, shared by the batches that reach them at once (concurrent C-STOREs, each a
 * batch of one, and STOW-RS requests): those that arrive while a commit is under way are stored by the next one, in one
 * {@link Index#store(List, Index.BlobsDurable) index transaction} whose commit waits for all their blobs. Only for an
 * index with one writer (embedded SQLite), where stores queue anyway: one forced commit and one pass of the store's
 * statements then serve the whole group. Each batch gets its own answer: when the group's store fails for a reason
 * that need not be every batch's (a blob that could not be made durable, a record the index refused), each batch is
 * stored again alone, so that one bad instance fails no neighbour.
 */
final class SharedCommit {
    /** Records in one group at most: bounds the transaction, and how long its first batch waits for its last. */
    static final int MAX_RECORDS = 64;

    private final Index index;
    private final GroupedWork<Entry> entries = new GroupedWork<>(SharedCommit::nextGroup, this::run);
    private final AtomicLong stores = new AtomicLong(); // stores run (a group, or a batch alone), for tests

    SharedCommit(Index index) {
        this.index = index;
    }

    /** One batch's records and the flushes of their blobs, and what became of them. */
    private static final class Entry {
        final List<InstanceRecord> records;
        final List<BlobStore.Placement> placements;
        StoreResult result;
        Throwable failure;

        Entry(List<InstanceRecord> records, List<BlobStore.Placement> placements) {
            this.records = records;
            this.placements = placements;
        }
    }

    /**
     * Indexes {@code records} once their blobs are durable, with whatever other batches are waiting; returns once the
     * commit is durable. Throws what storing this batch threw (alone, when the group's failure was not every batch's).
     */
    StoreResult store(List<InstanceRecord> records, List<BlobStore.Placement> placements) throws IOException {
        if (!index.oneWriter()) return stored(records, placements); // a server's writers run side by side
        Entry entry = new Entry(records, placements);
        entries.run(entry);
        return switch (entry.failure) {
            case null -> entry.result;
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(entry.failure);
        };
    }

    long groupsForTest() {
        return stores.get();
    }

    int waitingForTest() {
        return entries.waiting();
    }

    /**
     * The waiting batches, in order, up to {@link #MAX_RECORDS} and up to the first that holds a SOP Instance UID the
     * group holds already: the index answers by that UID, so a group holds each once. The first batch always goes.
     */
    private static List<Entry> nextGroup(ArrayDeque<Entry> waiting) {
        List<Entry> group = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        int size = 0;
        while (!waiting.isEmpty()) {
            Entry next = waiting.peek();
            if (!group.isEmpty() && (size + next.records.size() > MAX_RECORDS || !disjoint(uids, next.records))) break;
            for (InstanceRecord r : next.records) uids.add(r.sopInstanceUid());
            size += next.records.size();
            group.add(waiting.poll());
        }
        return group;
    }

    private static boolean disjoint(Set<String> uids, List<InstanceRecord> records) {
        for (InstanceRecord r : records) if (uids.contains(r.sopInstanceUid())) return false;
        return true;
    }

    private void run(List<Entry> group) {
        try {
            if (group.size() == 1) {
                storeAlone(group.getFirst());
                return;
            }
            List<InstanceRecord> records = new ArrayList<>();
            List<BlobStore.Placement> placements = new ArrayList<>();
            for (Entry e : group) {
                records.addAll(e.records);
                placements.addAll(e.placements);
            }
            StoreResult result;
            try {
                result = stored(records, placements);
            } catch (IndexUnavailableException e) { // IndexFullException too
                for (Entry entry : group) entry.failure = e; // the index's state, not a batch's: alone they would fail alike
                return;
            } catch (IOException | RuntimeException e) {
                for (Entry entry : group) storeAlone(entry); // nothing of the group was committed: each again, on its own
                return;
            }
            split(group, result);
        } catch (Error e) { // out of memory, say: no batch of the group may pass for stored
            for (Entry entry : group) if (entry.result == null && entry.failure == null) entry.failure = e;
            throw e;
        }
    }

    private void storeAlone(Entry entry) {
        try {
            entry.result = stored(entry.records, entry.placements);
        } catch (IOException | RuntimeException e) {
            entry.failure = e;
        }
    }

    private StoreResult stored(List<InstanceRecord> records, List<BlobStore.Placement> placements) throws IOException {
        stores.incrementAndGet();
        return index.store(records, () -> BlobStore.Placement.awaitAll(placements));
    }

    /** Gives each batch the replacements and conflicts of its own records (a group holds each SOP Instance UID once). */
    private static void split(List<Entry> group, StoreResult result) {
        Map<String, Entry> byUid = new HashMap<>();
        Map<Entry, List<StoreResult.Replaced>> replaced = new HashMap<>();
        Map<Entry, List<StoreResult.Conflict>> conflicts = new HashMap<>();
        for (Entry e : group) {
            for (InstanceRecord r : e.records) byUid.put(r.sopInstanceUid(), e);
            replaced.put(e, new ArrayList<>());
            conflicts.put(e, new ArrayList<>());
        }
        for (StoreResult.Replaced r : result.replaced()) replaced.get(byUid.get(r.sopInstanceUid())).add(r);
        for (StoreResult.Conflict c : result.conflicts()) conflicts.get(byUid.get(c.sopInstanceUid())).add(c);
        for (Entry e : group) e.result = new StoreResult(List.copyOf(replaced.get(e)), List.copyOf(conflicts.get(e)));
    }
}
