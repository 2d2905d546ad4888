package dev.stratus.archive.ingest;

import dev.stratus.archive.DataSets;
import dev.stratus.index.TenantId;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.DirectFileWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The instances of one request (a STOW-RS body), stored together: each is spooled, parsed and validated as it
 * arrives, and a large one placed in storage at once (its flush running while the next one arrives); the valid
 * ones are indexed, once durable, in one transaction per {@link #MAX_PENDING} instances, so that a request of
 * many instances locks its series and study rows once, not once per instance.
 * Nothing is acknowledged before {@link #commit()} returns; closing an uncommitted batch discards what it held.
 */
public final class IngestBatch implements AutoCloseable {
    /** Bounds the transaction (and how long its series and study rows stay locked) of a very large request. */
    static final int MAX_PENDING = 32;
    /**
     * Heap the pending instances' data sets may hold before they are indexed: one instance parsed within the largest
     * budget holds ~170 MB, 32 of them would hold GBs. A request thus holds at most this plus the parse under way.
     */
    static final long MAX_PENDING_HEAP = 64L << 20;
    /** Instances at least this large are placed in storage as they arrive (see {@link #add}). */
    static final long PLACE_AT_ONCE_BYTES = DirectFileWriter.CHUNK;

    private final IngestService service;
    private final TenantId tenant;
    private final String expectedStudyUid;
    private final String source;
    private final List<IngestOutcome> outcomes = new ArrayList<>();
    private final List<IngestService.Prepared> pending = new ArrayList<>();
    private final List<BlobStore.Placement> placements = new ArrayList<>();
    private final List<Integer> pendingSlots = new ArrayList<>();
    private final Set<String> pendingSops = new HashSet<>();
    private boolean committed;
    private String storageFull;
    private long pendingHeap;
    private DirectFileWriter.Buffers spoolBuffers;

    IngestBatch(IngestService service, TenantId tenant, String expectedStudyUid, String source) {
        this.service = service;
        this.tenant = tenant;
        this.expectedStudyUid = expectedStudyUid;
        this.source = source;
    }

    /** Reads one instance (a Part 10 file, or a bare data set in Explicit VR Little Endian) from {@code in}. */
    public void add(InputStream in) throws IOException {
        String full = service.space().fullReason();
        if (full != null) { // refused unread: the space left is the index's, for DELETEs
            storageFull(null, null, full);
            return;
        }
        if (spoolBuffers == null) spoolBuffers = service.spoolBuffers();
        DirectFileWriter.Written spooled;
        try {
            spooled = service.spool(in, spoolBuffers); // deletes its file when it fails
        } catch (IOException e) {
            if (!service.space().observe(e)) throw e;
            storageFull(null, null, service.space().fullReason());
            return;
        }
        add(spooled);
    }

    /**
     * Why the storage refused this batch's last instances (a full disk), or null. Every instance refused so is a
     * failed outcome (A700); a caller stops offering more.
     */
    public String storageFull() {
        return storageFull;
    }

    private void storageFull(String sopClass, String sop, String reason) {
        if (reason == null) reason = "no space left"; // the space was back by the time it was asked
        storageFull = reason;
        outcomes.add(new IngestOutcome.Failed(sopClass, sop, FailureReason.OUT_OF_RESOURCES, "storage full: " + reason));
    }

    /** Takes over a local file holding one instance: it is moved into storage or deleted. */
    public void addSpooled(Path file) throws IOException {
        String full = service.space().fullReason();
        if (full != null) {
            IngestService.deleteSpool(file);
            storageFull(null, null, full);
            return;
        }
        add(new DirectFileWriter.Written(file, java.nio.file.Files.size(file), new byte[0]));
    }

    private void add(DirectFileWriter.Written spooled) throws IOException {
        Path file = spooled.file();
        IngestService.Prepared prepared;
        try {
            prepared = service.prepare(tenant, spooled, expectedStudyUid);
        } catch (Throwable e) {
            IngestService.deleteSpool(file);
            if (service.space().observe(e)) { // a write behind the spool, or the Part 10 rewrite, found the disk full
                storageFull(null, null, service.space().fullReason());
                return;
            }
            throw e;
        }
        if (prepared.failure() != null) {
            IngestService.deleteSpool(file);
            outcomes.add(prepared.failure());
            return;
        }
        // A batch never holds one SOP Instance UID twice, so that the index's answers map to instances by UID.
        if (pendingSops.contains(prepared.record().sopInstanceUid()) || pending.size() >= MAX_PENDING) {
            try {
                flush();
            } catch (Throwable e) {
                IngestService.deleteSpool(file);
                throw e;
            }
            if (storageFull != null) { // the instances before it found the disk full
                IngestService.deleteSpool(file);
                storageFull(prepared.record().sopClassUid(), prepared.record().sopInstanceUid(), storageFull);
                return;
            }
        }
        // A large instance goes into storage now: its flush overlaps with receiving the next one. Small ones wait
        // for the batch's end, where their flushes start together and share journal commits.
        BlobStore.Placement placement = null;
        if (spooled.size() >= PLACE_AT_ONCE_BYTES) {
            try {
                placement = service.place(prepared);
            } catch (Throwable e) {
                service.discard(prepared, BlobStore.Placement.DONE);
                if (!service.space().observe(e)) throw e;
                storageFull(prepared.record().sopClassUid(), prepared.record().sopInstanceUid(), service.space().fullReason());
                return;
            }
        }
        pendingSops.add(prepared.record().sopInstanceUid());
        pending.add(prepared);
        placements.add(placement);
        pendingSlots.add(outcomes.size());
        outcomes.add(null);
        pendingHeap += DataSets.heapEstimate(prepared.record().attributes());
        if (pendingHeap >= MAX_PENDING_HEAP) flush(); // large headers: indexed now, not held while the next part arrives
    }

    /** Records an instance refused before it reached the ingest path (e.g. a part of the wrong media type). */
    public void addFailure(IngestOutcome.Failed failure) {
        outcomes.add(failure);
    }

    /** Stores and indexes what is pending; returns every instance's outcome in the order they were added. */
    public List<IngestOutcome> commit() throws IOException {
        flush();
        committed = true;
        return List.copyOf(outcomes);
    }

    private void flush() throws IOException {
        if (pending.isEmpty()) return;
        IngestOutcome[] done;
        try {
            try {
                for (int i = 0; i < pending.size(); i++) {
                    if (placements.get(i) == null) placements.set(i, service.place(pending.get(i)));
                }
            } catch (Throwable e) {
                for (int i = 0; i < pending.size(); i++) service.discard(pending.get(i), placements.get(i));
                throw e;
            }
            done = service.store(tenant, pending, placements, source);
        } catch (IOException | RuntimeException e) { // what was pending is discarded, not stored
            if (!service.space().observe(e)) throw e;
            String reason = service.space().fullReason();
            storageFull = reason == null ? "no space left" : reason;
            done = new IngestOutcome[pending.size()];
            for (int i = 0; i < done.length; i++) {
                var r = pending.get(i).record();
                done[i] = new IngestOutcome.Failed(r.sopClassUid(), r.sopInstanceUid(), FailureReason.OUT_OF_RESOURCES, "storage full: " + storageFull);
            }
        } finally {
            pending.clear(); // stored, or discarded
            placements.clear();
        }
        for (int i = 0; i < done.length; i++) outcomes.set(pendingSlots.get(i), done[i]);
        pendingSlots.clear();
        pendingSops.clear();
        pendingHeap = 0;
    }

    @Override
    public void close() {
        if (spoolBuffers != null) spoolBuffers.close();
        spoolBuffers = null;
        if (committed) return;
        for (int i = 0; i < pending.size(); i++) service.discard(pending.get(i), placements.get(i));
        pending.clear();
        placements.clear();
    }
}
