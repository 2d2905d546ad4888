package dev.stratus.archive.ingest;

import dev.stratus.archive.BlobKeys;
import dev.stratus.archive.DataSets;
import dev.stratus.archive.StorageSpace;
import dev.stratus.archive.metadata.RenderedMetadata;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.ParseBudget;
import dev.stratus.codec.ParseBudgetExceededException;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.StoreResult;
import dev.stratus.index.TenantId;
import dev.stratus.pipeline.ArchiveEvent;
import dev.stratus.pipeline.EventBus;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.Spool;
import dev.stratus.storage.SpooledFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;

/**
 * The instances of one request (a STOW-RS body; a C-STORE is a batch of one) taken through the store path:
 * <ol>
 * <li><b>receive</b>: each instance is spooled as it streams in;</li>
 * <li><b>examine</b>: parsed from its head within the parse budget and checked ({@link Examination}): refused with a
 * reason, or accepted under a fresh blob key (with a Part 10 header if it came without);</li>
 * <li><b>place</b>: moved into the blob store, a large one at once so that its flush overlaps the next part, the
 * others together before the commit, where their flushes share journal commits;</li>
 * <li><b>commit</b>: indexed in one transaction per {@link #MAX_PENDING} instances, committed once every flush is over, so that a
 * request of many instances locks its series and study rows once, not once per instance ({@link IndexCommit}); with
 * one writer, in the commit of the batches that reach it at the same time ({@link SharedCommit});</li>
 * <li><b>outcomes</b>: each instance's own, in the order offered, and an event for each one stored.</li>
 * </ol>
 * The batch holds one list of {@link BatchItem}s, each in the state the path has brought it to. Nothing is
 * acknowledged before {@link #commit()} returns; what is not to be stored is removed by {@link #discard}, the one
 * clean-up, as is what an uncommitted batch holds when it is closed. A full disk met at any step is the outcome
 * (A700) of the instances it touched, not the request's failure.
 */
public final class IngestBatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestBatch.class);
    /** Bounds the transaction (and how long its series and study rows stay locked) of a very large request. */
    static final int MAX_PENDING = 32;
    /**
     * Heap the pending instances' data sets may hold before they are indexed: one instance parsed within the largest
     * budget holds ~170 MB, 32 of them would hold GBs. A request thus holds at most this plus the parse under way.
     */
    static final long MAX_PENDING_HEAP = 64L << 20;
    /**
     * Instances at least this large are placed as they arrive; smaller ones wait for the commit, as one by one each
     * would cost a journal commit of its own (measured: docs/benchmarks-history.md, fifth session).
     */
    static final long PLACE_AT_ONCE_BYTES = 256 * 1024;

    /** What a batch stores through: the ingest service's parts and settings as they were when the batch began. */
    record Wiring(SharedCommit commits, BlobStore store, EventBus events, Spool spool, ParseBudget parseBudget,
                  StorageSpace space, IngestActivity activity, RenderedMetadata rendered) {}

    private final Wiring wiring;
    private final TenantId tenant;
    private final String expectedStudyUid;
    private final String source;
    /** Every instance offered, in order; those before {@link #open} are all Decided. */
    private final List<BatchItem> items = new ArrayList<>();
    private int open;
    private long pendingHeap;
    private String storageFull;
    private Spool.Receiver receiver;

    IngestBatch(Wiring wiring, TenantId tenant, String expectedStudyUid, String source) {
        this.wiring = wiring;
        this.tenant = tenant;
        this.expectedStudyUid = expectedStudyUid;
        this.source = source;
    }

    /** Reads one instance (a Part 10 file, or a bare data set in Explicit VR Little Endian) from {@code in}. */
    public void add(InputStream in) throws IOException {
        if (refusedUnread()) return;
        if (receiver == null) receiver = wiring.spool().receiver(); // one set of spool buffers for all the request's parts
        SpooledFile file;
        try {
            file = receiver.receive(in); // deletes its file when it fails
        } catch (IOException e) {
            if (!wiring.space().observe(e)) throw e;
            items.add(refusedForSpace(null, wiring.space().fullReason()));
            return;
        }
        take(file);
    }

    /** Takes over a local file holding one instance: it is moved into storage or deleted. */
    public void addSpooled(Path file) throws IOException {
        addSpooled(file, new byte[0]);
    }

    /** As {@link #addSpooled(Path)}, with the file's first bytes as its writer kept them in memory. */
    public void addSpooled(Path file, byte[] head) throws IOException {
        SpooledFile spooled = wiring.spool().adopt(file, head);
        if (refusedUnread()) spooled.delete();
        else take(spooled);
    }

    /**
     * Receives bytes that are not an instance yet (a STOW-RS bulk data part) into the spool, with this batch's
     * buffers; the caller deletes the file. What a stopped process left there is deleted at the next start.
     */
    public SpooledFile receiveBulkData(InputStream in) throws IOException {
        if (receiver == null) receiver = wiring.spool().receiver();
        return receiver.receive(in);
    }

    /** The limits within which every instance of this batch is parsed (ingest.*). */
    public ParseBudget parseBudget() {
        return wiring.parseBudget();
    }

    /** Records an instance refused before it reached the store path (e.g. a part of the wrong media type). */
    public void addFailure(IngestOutcome.Failed failure) {
        items.add(new BatchItem.Decided(failure));
    }

    /**
     * Why the storage refused this batch's last instances (a full disk), or null. Every instance refused so is a
     * failed outcome (A700); a caller stops offering more.
     */
    public String storageFull() {
        return storageFull;
    }

    /** Stores and indexes what is pending; returns every instance's outcome in the order they were added. */
    public List<IngestOutcome> commit() throws IOException {
        commitPending();
        return items.stream().map(item -> ((BatchItem.Decided) item).outcome()).toList();
    }

    @Override
    public void close() {
        if (receiver != null) receiver.close();
        receiver = null;
        for (BatchItem item : items) discard(item); // after a commit, every item is Decided: nothing to remove
        items.clear();
    }

    /** A full disk refuses an instance unread: the space left is the index's, for DELETEs. */
    private boolean refusedUnread() {
        String full = wiring.space().fullReason();
        if (full == null) return false;
        items.add(refusedForSpace(null, full));
        return true;
    }

    /** Examines a spooled instance and, valid, makes it pending: placed at once when large, else at the commit. */
    private void take(SpooledFile file) throws IOException {
        BatchItem item = new BatchItem.Received(file);
        try {
            item = examine(file);
            if (item instanceof BatchItem.Accepted a) item = makeRoomFor(a);
            if (item instanceof BatchItem.Accepted a && a.instance().record().blobSize() >= PLACE_AT_ONCE_BYTES) item = place(a);
        } catch (Throwable e) {
            discard(item);
            // a write behind the spool, the Part 10 rewrite or a placement found the disk full: not the object's fault
            if (!wiring.space().observe(e)) throw e;
            item = refusedForSpace(item, wiring.space().fullReason());
        }
        if (item instanceof BatchItem.Decided) file.delete(); // refused: nothing of it stays
        items.add(item);
        if (item instanceof BatchItem.Pending p) {
            pendingHeap += DataSets.heapEstimate(p.instance().record().attributes());
            if (pendingHeap >= MAX_PENDING_HEAP) commitPending(); // large headers: indexed now, not held while the next part arrives
        }
    }

    /** Reads a spooled instance within the parse budget (its head from memory) and examines it. */
    private BatchItem examine(SpooledFile file) throws IOException {
        wiring.activity().touch();
        DicomFile parsed;
        try (InputStream in = file.open()) {
            parsed = new DicomReader(in, file.size()).readFile(Examination.reading(wiring.parseBudget()));
        } catch (ParseBudgetExceededException e) {
            // the limit first: a C-STORE Error Comment keeps 64 characters
            return refused(FailureReason.OUT_OF_RESOURCES, e.getMessage());
        } catch (DicomParseException e) {
            if (StorageSpace.fullDisk(e) != null) throw e; // the spool's writes behind met a full disk
            return refused(FailureReason.CANNOT_UNDERSTAND, "not a readable DICOM object: " + e.getMessage());
        } catch (RuntimeException e) { // a reader fault on hostile input is still this object's failure, not the request's
            log.warn("parsing spooled instance {} failed", file.file(), e);
            return refused(FailureReason.CANNOT_UNDERSTAND, "not a readable DICOM object (the reader failed on it)");
        }
        return switch (Examination.of(parsed, expectedStudyUid)) {
            case Examination.Refused r -> new BatchItem.Decided(r.failure());
            case Examination.Valid v -> new BatchItem.Accepted(instance(v, parsed, file));
        };
    }

    /** A valid instance under a fresh blob key, as a Part 10 file: one that came without a header gets one. */
    private BatchItem.Instance instance(Examination.Valid v, DicomFile parsed, SpooledFile file) throws IOException {
        TransferSyntax ts = v.transferSyntax();
        long size = file.size();
        if (!v.part10()) {
            file.awaitWrites();
            ts = Part10Header.addTo(file.file(), parsed);
            size = Files.size(file.file());
        }
        String key = BlobKeys.instance(tenant, v.studyUid(), v.seriesUid(), v.sopInstanceUid());
        InstanceRecord record = v.record(tenant, key, size, ts);
        return new BatchItem.Instance(file, record, v.warning(), v.part10() ? metadataOf(record, file) : null);
    }

    /**
     * The instance's metadata JSON, rendered from the spool (its head in memory) while it is at hand, so that the
     * series' first metadata need not read it back (RenderedMetadata); null when it is not kept. One that came without
     * a Part 10 header was rewritten under other offsets: it is read from its blob.
     */
    private RenderedMetadata.Rendering metadataOf(InstanceRecord record, SpooledFile file) {
        try {
            return wiring.rendered().render(tenant, record, file.open());
        } catch (IOException | RuntimeException e) { // a metadata request reads the blob and tells what is wrong
            log.debug("metadata of {} not rendered at ingest: {}", record.sopInstanceUid(), e.toString());
            return null;
        }
    }

    /**
     * Commits what is pending first when the batch holds {@link #MAX_PENDING} instances or one with the same SOP
     * Instance UID: a batch never holds a UID twice, so that the index's answers map to instances by UID. Returns the
     * instance, still accepted, or refused when that commit found the disk full.
     */
    private BatchItem makeRoomFor(BatchItem.Accepted a) throws IOException {
        String sop = a.instance().record().sopInstanceUid();
        List<BatchItem.Pending> pending = pending(items.subList(open, items.size()));
        if (pending.size() < MAX_PENDING && pending.stream().noneMatch(p -> p.instance().record().sopInstanceUid().equals(sop))) return a;
        commitPending();
        return storageFull == null ? a : refusedForSpace(a, storageFull);
    }

    /** Moves an accepted instance into the blob store under its key; its flush goes on while the batch does. */
    private BatchItem.Placed place(BatchItem.Accepted a) throws IOException {
        BatchItem.Instance instance = a.instance();
        return new BatchItem.Placed(instance, instance.file().placeIn(wiring.store(), instance.record().blobKey()));
    }

    /**
     * Places the pending instances still in the spool, awaits every flush, indexes them in one transaction and
     * settles their outcomes. When any of that fails, none of them stays stored: a full disk is their outcome, any
     * other failure the caller's.
     */
    private void commitPending() throws IOException {
        List<BatchItem> unsettled = items.subList(open, items.size());
        if (!pending(unsettled).isEmpty()) placeAndIndex(unsettled);
        open = items.size();
        pendingHeap = 0;
    }

    private void placeAndIndex(List<BatchItem> unsettled) throws IOException {
        List<InstanceRecord> records = new ArrayList<>();
        StoreResult result;
        try {
            advance(unsettled, p -> p instanceof BatchItem.Accepted a ? place(a) : p);
            List<BlobStore.Placement> placements = new ArrayList<>();
            for (BatchItem.Pending p : pending(unsettled)) {
                placements.add(((BatchItem.Placed) p).placement());
                records.add(p.instance().record());
            }
            // Only what is durable is indexed: the index commits once every flush is over (its statements may run
            // meanwhile). An object store's uploads take far longer than a local flush: they end before the index's
            // transaction starts, so that embedded SQLite's one writer is not held across them.
            if (!wiring.store().adoptsLocalFiles()) BlobStore.Placement.awaitAll(placements);
            result = wiring.commits().store(records, placements); // with the batches that reach it at the same time
        } catch (Throwable e) {
            boolean full = wiring.space().observe(e);
            String reason = wiring.space().fullReason();
            advance(unsettled, p -> {
                discard(p);
                return full ? refusedForSpace(p, reason)
                        : new BatchItem.Decided(p.instance().failed(FailureReason.PROCESSING_FAILURE, "not stored: " + e));
            });
            if (!full) throw e;
            return;
        }
        for (StoreResult.Replaced r : result.replaced()) wiring.rendered().forget(r.oldBlobKey());
        Iterator<IndexCommit.Verdict> verdicts = IndexCommit.verdicts(wiring.store(), records, result).iterator();
        advance(unsettled, p -> new BatchItem.Decided(switch (verdicts.next()) {
            case IndexCommit.Verdict.Conflict c -> p.instance().failed(FailureReason.PROCESSING_FAILURE, c.reason());
            case IndexCommit.Verdict.Indexed i -> {
                InstanceRecord r = p.instance().record();
                wiring.rendered().keep(p.instance().metadata());
                wiring.events().publish(new ArchiveEvent.InstanceStored(tenant, r.studyUid(), r.seriesUid(), r.sopInstanceUid(), r.sopClassUid(), source));
                yield p.instance().stored(i.replaced());
            }
        }));
    }

    /** The one clean-up of the store path: removes what an item holds that is not (or no longer) to be stored. */
    private void discard(BatchItem item) {
        switch (item) {
            case BatchItem.Received r -> r.file().delete();
            case BatchItem.Decided d -> { } // holds nothing
            case BatchItem.Accepted a -> forget(a.instance());
            case BatchItem.Placed p -> {
                try {
                    p.placement().await(); // its flush ends before its blob is deleted
                } catch (IOException e) {
                    // being deleted anyway
                }
                forget(p.instance());
            }
        }
    }

    private void forget(BatchItem.Instance instance) {
        instance.file().delete();
        IndexCommit.deleteOrphan(wiring.store(), instance.record().blobKey());
    }

    /** Notes the full disk and refuses {@code item} for it (A700); {@code reason} null: the space was back by the time it was asked. */
    private BatchItem.Decided refusedForSpace(BatchItem item, String reason) {
        storageFull = reason == null ? "no space left" : reason;
        String message = "storage full: " + storageFull;
        return new BatchItem.Decided(item instanceof BatchItem.Pending p ? p.instance().failed(FailureReason.OUT_OF_RESOURCES, message)
                : new IngestOutcome.Failed(null, null, FailureReason.OUT_OF_RESOURCES, message));
    }

    private static BatchItem.Decided refused(int reason, String message) {
        return new BatchItem.Decided(new IngestOutcome.Failed(null, null, reason, message));
    }

    private static List<BatchItem.Pending> pending(List<BatchItem> items) {
        List<BatchItem.Pending> pending = new ArrayList<>();
        for (BatchItem item : items) if (item instanceof BatchItem.Pending p) pending.add(p);
        return pending;
    }

    /** One step of the path for a pending item: what it becomes. */
    private interface Step {
        BatchItem apply(BatchItem.Pending item) throws IOException;
    }

    /** Takes each pending item of {@code items} one step further, in order. */
    private static void advance(List<BatchItem> items, Step step) throws IOException {
        for (ListIterator<BatchItem> it = items.listIterator(); it.hasNext(); ) {
            if (it.next() instanceof BatchItem.Pending p) it.set(step.apply(p));
        }
    }
}
