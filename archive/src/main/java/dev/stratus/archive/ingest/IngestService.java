package dev.stratus.archive.ingest;

import dev.stratus.archive.StorageSpace;
import dev.stratus.archive.metadata.RenderedMetadata;
import dev.stratus.codec.ParseBudget;
import dev.stratus.index.Index;
import dev.stratus.index.TenantId;
import dev.stratus.pipeline.EventBus;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.Spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The one ingest path of the archive (STOW-RS and C-STORE): where stores are admitted and batches begun, with the
 * limits they run within. The path itself (spool, examine, place, index in one transaction, publish an event) is
 * {@link IngestBatch}. Acknowledged means durable and visible to queries; a crash at any step leaves at worst an
 * unreferenced blob, which nothing serves.
 */
public final class IngestService {
    /** First bytes of a spooled instance kept in memory for its parse: the header of nearly every object. */
    private static final int SPOOL_HEAD = 64 * 1024;

    private final SharedCommit commits;
    private final BlobStore store;
    private final EventBus events;
    private final Spool spool;
    private final IngestActivity activity = new IngestActivity();
    private volatile ParseBudget parseBudget = ParseBudget.DEFAULT;
    private volatile StorageSpace space;
    private volatile RenderedMetadata rendered = RenderedMetadata.NONE;
    private volatile IngestAdmission admission = new IngestAdmission(IngestAdmission.DEFAULT_MAX_CONCURRENT, IngestAdmission.DEFAULT_QUEUE);

    public IngestService(Index index, BlobStore store, EventBus events, Path spoolDir) throws IOException {
        this(index, store, events, spoolDir, true);
    }

    /**
     * @param directWrites whether large spool files may bypass the page cache (storage.directWrites): they do
     *                     when the store moves them into place, as nothing reads them back then
     */
    public IngestService(Index index, BlobStore store, EventBus events, Path spoolDir, boolean directWrites) throws IOException {
        this.commits = new SharedCommit(index);
        this.store = store;
        this.events = events;
        this.spool = new Spool(spoolDir, directWrites && store.adoptsLocalFiles(), SPOOL_HEAD);
        this.spool.keepBuffersFor(admission.maxConcurrent());
        this.space = StorageSpace.unreserved(spoolDir);
    }

    /**
     * Stores one instance read from {@code in} (a Part 10 file, or a bare data set in Explicit VR Little
     * Endian). {@code expectedStudyUid}, when not null, must match the instance's Study Instance UID.
     * Index failures (IndexUnavailableException) propagate: the caller answers 503.
     */
    public IngestOutcome ingest(TenantId tenant, InputStream in, String expectedStudyUid, String source) throws IOException {
        try (IngestBatch batch = batch(tenant, expectedStudyUid, source)) {
            batch.add(in);
            return batch.commit().getFirst();
        }
    }

    /** Stores one instance from a local file, which is taken over (moved into storage or deleted). */
    public IngestOutcome ingestFile(TenantId tenant, Path file, String source) throws IOException {
        return ingestFile(tenant, file, new byte[0], source);
    }

    /** As above, with the file's first bytes as its writer kept them in memory (a C-STORE's): its parse reads no file. */
    public IngestOutcome ingestFile(TenantId tenant, Path file, byte[] head, String source) throws IOException {
        try (IngestBatch batch = batch(tenant, null, source)) {
            batch.addSpooled(file, head);
            return batch.commit().getFirst();
        }
    }

    /** Several instances of one request, stored together; see {@link IngestBatch}. */
    public IngestBatch batch(TenantId tenant, String expectedStudyUid, String source) {
        return new IngestBatch(new IngestBatch.Wiring(commits, store, events, spool, parseBudget, space, activity, rendered),
                tenant, expectedStudyUid, source);
    }

    SharedCommit commitsForTest() {
        return commits;
    }

    public IngestActivity activity() {
        return activity;
    }

    /** The limits within which an instance offered for storage is parsed (ingest.* settings); over them it is refused. */
    public IngestService parseWithin(ParseBudget budget) {
        this.parseBudget = Objects.requireNonNull(budget);
        return this;
    }

    /** Where full disks are noticed and new objects refused until there is room again (storage.reserveBytes). */
    public IngestService watching(StorageSpace space) {
        this.space = Objects.requireNonNull(space);
        return this;
    }

    /** Where each stored instance's metadata JSON, rendered from the object received, is kept for series metadata. */
    public IngestService rendering(RenderedMetadata rendered) {
        this.rendered = Objects.requireNonNull(rendered);
        return this;
    }

    public StorageSpace space() {
        return space;
    }

    /** How many stores may run at once, and how long one more waits for a place (ingest.maxConcurrent, queueSeconds). */
    public IngestService admitting(IngestAdmission admission) {
        this.admission = Objects.requireNonNull(admission);
        spool.keepBuffersFor(admission.maxConcurrent()); // one set of spool buffers per running store, kept for the next
        return this;
    }

    public IngestAdmission admission() {
        return admission;
    }

    /**
     * A place among the stores running at once, within the queue time, else {@link IngestAdmission.Busy}: a STOW-RS
     * request takes one before it reads its body, a C-STORE before its object is parsed and stored.
     */
    public IngestAdmission.Permit admit() {
        return admission.admit();
    }

    /**
     * Deletes the spool files a previous process left (its instances were never acknowledged); run at start-up,
     * before any ingest. Returns how many there were.
     */
    public int deleteSpoolLeftovers() throws IOException {
        return spool.deleteLeftovers();
    }
}
