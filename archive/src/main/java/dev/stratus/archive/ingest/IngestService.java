package dev.stratus.archive.ingest;

import dev.stratus.archive.BlobKeys;
import dev.stratus.archive.DataSets;
import dev.stratus.archive.StorageSpace;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.ParseBudget;
import dev.stratus.codec.ParseBudgetExceededException;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.index.Index;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.StoreResult;
import dev.stratus.index.TenantId;
import dev.stratus.pipeline.ArchiveEvent;
import dev.stratus.pipeline.EventBus;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.DirectFileWriter;
import dev.stratus.storage.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one ingest path of the archive (STOW-RS and C-STORE): spool, parse, validate, store the bytes
 * durably, index in one transaction, publish an event. Acknowledged means durable and visible to
 * queries. A crash at any step leaves at worst an unreferenced blob, which nothing serves.
 */
public final class IngestService {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    /**
     * Values longer than this are not needed to index an instance: they are skipped on disk, but their
     * lengths are still checked, so a truncated object is refused rather than stored.
     */
    private static final long HEADER_BULK_THRESHOLD = 64 * 1024;
    /** First bytes of a spooled instance kept in memory for its parse: the header of nearly every object. */
    private static final int SPOOL_HEAD = 64 * 1024;

    private final Index index;
    private final BlobStore store;
    private final EventBus events;
    private final DirectFileWriter spool;
    private final IngestActivity activity = new IngestActivity();
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private volatile ParseBudget parseBudget = ParseBudget.DEFAULT;
    private volatile StorageSpace space;
    private volatile IngestAdmission admission = new IngestAdmission(IngestAdmission.DEFAULT_MAX_CONCURRENT, IngestAdmission.DEFAULT_QUEUE);

    public IngestService(Index index, BlobStore store, EventBus events, Path spoolDir) throws IOException {
        this(index, store, events, spoolDir, true);
    }

    /**
     * @param directWrites whether large spool files may bypass the page cache (storage.directWrites): they do
     *                     when the store moves them into place, as nothing reads them back then
     */
    public IngestService(Index index, BlobStore store, EventBus events, Path spoolDir, boolean directWrites) throws IOException {
        this.index = index;
        this.store = store;
        this.events = events;
        this.spool = new DirectFileWriter(spoolDir, directWrites && store.adoptsLocalFiles());
        this.spool.poolAtMost(admission.maxConcurrent());
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
        try (IngestBatch batch = batch(tenant, null, source)) {
            batch.addSpooled(file);
            return batch.commit().getFirst();
        }
    }

    public IngestActivity activity() {
        return activity;
    }

    /** The limits within which an instance offered for storage is parsed (ingest.* settings); over them it is refused. */
    public IngestService parseWithin(ParseBudget budget) {
        this.parseBudget = java.util.Objects.requireNonNull(budget);
        return this;
    }

    /** Where full disks are noticed and new objects refused until there is room again (storage.reserveBytes). */
    public IngestService watching(StorageSpace space) {
        this.space = java.util.Objects.requireNonNull(space);
        return this;
    }

    public StorageSpace space() {
        return space;
    }

    /** How many stores may run at once, and how long one more waits for a place (ingest.maxConcurrent, queueSeconds). */
    public IngestService admitting(IngestAdmission admission) {
        this.admission = java.util.Objects.requireNonNull(admission);
        spool.poolAtMost(admission.maxConcurrent()); // one set of spool buffers per running store, kept for the next
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
        int n = spool.deleteLeftovers(SPOOL_PREFIX + "*");
        if (n > 0) log.info("deleted {} spool files left by an earlier process (never acknowledged)", n);
        return n;
    }

    /** Several instances of one request, stored together; see {@link IngestBatch}. */
    public IngestBatch batch(TenantId tenant, String expectedStudyUid, String source) {
        return new IngestBatch(this, tenant, expectedStudyUid, source);
    }

    /** An instance parsed and validated, not yet stored: either its index record or why it was refused. */
    record Prepared(DirectFileWriter.Written spooled, InstanceRecord record, IngestOutcome.Stored stored, IngestOutcome.Failed failure) {
        static Prepared failed(IngestOutcome.Failed failure) {
            return new Prepared(null, null, null, failure);
        }

        Path file() {
            return spooled.file();
        }
    }

    /** Buffers for {@link #spool}: a batch holds one set for all its instances and closes it when done. */
    DirectFileWriter.Buffers spoolBuffers() {
        return spool.buffers();
    }

    DirectFileWriter.Written spool(InputStream in, DirectFileWriter.Buffers buffers) throws IOException {
        return spool.write(in, SPOOL_PREFIX + UUID.randomUUID() + ".dcm", buffers, SPOOL_HEAD);
    }

    private static final String SPOOL_PREFIX = "ingest-";

    /** Parses and validates a spooled instance; its first bytes come from memory when the spool kept them. */
    Prepared prepare(TenantId tenant, DirectFileWriter.Written spooled, String expectedStudyUid) throws IOException {
        activity.touch();
        DicomFile parsed;
        try (InputStream in = spooled.open()) {
            parsed = new DicomReader(in, spooled.size()).readFile(ReadOptions.ALL.bulkDataOver(HEADER_BULK_THRESHOLD).within(parseBudget));
        } catch (ParseBudgetExceededException e) {
            // the limit first: a C-STORE Error Comment keeps 64 characters
            return Prepared.failed(new IngestOutcome.Failed(null, null, FailureReason.OUT_OF_RESOURCES, e.getMessage()));
        } catch (DicomParseException e) {
            if (StorageSpace.fullDisk(e) != null) throw e; // the spool's writes behind met a full disk: not the object's fault
            return Prepared.failed(new IngestOutcome.Failed(null, null, FailureReason.CANNOT_UNDERSTAND,
                    "not a readable DICOM object: " + e.getMessage()));
        } catch (RuntimeException e) { // a reader fault on hostile input is still this object's failure, not the request's
            log.warn("parsing spooled instance {} failed", spooled.file(), e);
            return Prepared.failed(new IngestOutcome.Failed(null, null, FailureReason.CANNOT_UNDERSTAND,
                    "not a readable DICOM object (the reader failed on it)"));
        }
        return examine(tenant, parsed, expectedStudyUid, spooled, null, -1);
    }

    /**
     * Validates a parsed instance and makes its index record: under a fresh blob key for a spooled instance,
     * under {@code storedKey} for one already in storage (a legacy journal replay, {@code spooled} null).
     */
    private Prepared examine(TenantId tenant, DicomFile parsed, String expectedStudyUid, DirectFileWriter.Written spooled,
                             String storedKey, long storedSize) throws IOException {
        DataSet ds = parsed.dataSet();
        String sopClass = ds.getString(Tag.SOPClassUID);
        String sop = ds.getString(Tag.SOPInstanceUID);
        String study = ds.getString(Tag.StudyInstanceUID);
        String series = ds.getString(Tag.SeriesInstanceUID);
        String problem = multiValued(ds, Tag.SOPClassUID, "SOPClassUID", Tag.SOPInstanceUID, "SOPInstanceUID",
                Tag.StudyInstanceUID, "StudyInstanceUID", Tag.SeriesInstanceUID, "SeriesInstanceUID");
        if (problem == null) problem = firstProblem(sopClass, "SOPClassUID", sop, "SOPInstanceUID", study, "StudyInstanceUID", series, "SeriesInstanceUID");
        if (problem != null) {
            return Prepared.failed(new IngestOutcome.Failed(sopClass, sop, FailureReason.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, problem));
        }
        if (expectedStudyUid != null && !expectedStudyUid.equals(study)) {
            return Prepared.failed(new IngestOutcome.Failed(sopClass, sop, FailureReason.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "StudyInstanceUID " + study + " does not match the study " + expectedStudyUid + " of the request URL"));
        }
        TransferSyntax ts = parsed.transferSyntax();
        String declaredTs = parsed.fileMeta().getString(Tag.TransferSyntaxUID);
        if (declaredTs != null && TransferSyntax.of(declaredTs) == null) {
            return Prepared.failed(new IngestOutcome.Failed(sopClass, sop, FailureReason.TRANSFER_SYNTAX_NOT_SUPPORTED,
                    "transfer syntax " + declaredTs + " is not one this archive can read"));
        }
        long size;
        String key;
        if (spooled == null) {
            if (declaredTs == null || !parsed.hasPreamble()) {
                return Prepared.failed(new IngestOutcome.Failed(sopClass, sop, FailureReason.PROCESSING_FAILURE,
                        "the stored object " + storedKey + " is not a Part 10 file"));
            }
            size = storedSize;
            key = storedKey;
        } else {
            size = spooled.size();
            if (declaredTs == null || !parsed.hasPreamble()) {
                spooled.awaitWrites();
                ts = rewriteAsPart10(spooled.file(), parsed); // no or incomplete meta header: store a proper Part 10 file
                size = Files.size(spooled.file());
            }
            key = BlobKeys.instance(tenant, study, series, sop);
        }
        InstanceRecord record = new InstanceRecord(tenant, study, series, sop, sopClass, ts.uid(), key, size,
                DataSets.withoutBulkData(ds));
        String metaSop = parsed.fileMeta().getString(Tag.MediaStorageSOPInstanceUID);
        String warning = metaSop != null && !metaSop.equals(sop)
                ? "MediaStorageSOPInstanceUID " + metaSop + " in the file meta information differs from SOPInstanceUID" : null;
        IngestOutcome.Stored stored = new IngestOutcome.Stored(study, series, sopClass, sop, ts.uid(), false,
                warning == null ? null : FailureReason.WARNING_DATA_SET_DOES_NOT_MATCH, warning);
        return new Prepared(spooled, record, stored, null);
    }

    /**
     * Moves a prepared instance's file into storage under its fresh key, once its last writes are over (in the
     * background if they are not yet); {@link #store} awaits its flush.
     */
    BlobStore.Placement place(Prepared p) throws IOException {
        BlobStore.StagedFile staged = new BlobStore.StagedFile(p.record().blobKey(), p.file());
        if (p.spooled().writes().isDone()) {
            p.spooled().awaitWrites(); // throws if one failed
            return store.place(staged);
        }
        Future<?> placed = background.submit(() -> {
            p.spooled().awaitWrites();
            store.place(staged).await();
            return null;
        });
        return () -> Futures.await(placed, "store " + staged.key());
    }

    /** Removes what a placed (or, placement null, only spooled) instance left behind, once its flush is over. */
    void discard(Prepared p, BlobStore.Placement placement) {
        try {
            if (placement != null) placement.await();
        } catch (IOException e) {
            // being deleted anyway
        }
        deleteSpool(p.file());
        deleteQuietly(p.record().blobKey());
    }

    /**
     * Awaits the placed instances' flushes, then indexes them in one transaction, then publishes their events.
     * Returns their outcomes in order. On an exception nothing of the batch stays stored.
     */
    IngestOutcome[] store(TenantId tenant, List<Prepared> batch, List<BlobStore.Placement> placements, String source) throws IOException {
        List<InstanceRecord> records = new ArrayList<>(batch.size());
        for (Prepared p : batch) records.add(p.record());
        StoreResult result;
        try {
            BlobStore.Placement.awaitAll(placements);
            result = index.store(records);
        } catch (IOException | RuntimeException e) {
            for (int i = 0; i < batch.size(); i++) discard(batch.get(i), placements.get(i));
            throw e;
        }
        Map<String, StoreResult.Conflict> conflicts = new HashMap<>();
        for (StoreResult.Conflict c : result.conflicts()) conflicts.put(c.sopInstanceUid(), c);
        Map<String, StoreResult.Replaced> replaced = new HashMap<>();
        for (StoreResult.Replaced r : result.replaced()) {
            replaced.put(r.sopInstanceUid(), r);
            deleteQuietly(r.oldBlobKey());
        }
        IngestOutcome[] outcomes = new IngestOutcome[batch.size()];
        for (int i = 0; i < outcomes.length; i++) {
            Prepared p = batch.get(i);
            InstanceRecord r = p.record();
            StoreResult.Conflict conflict = conflicts.get(r.sopInstanceUid());
            if (conflict != null) {
                deleteQuietly(r.blobKey());
                outcomes[i] = new IngestOutcome.Failed(r.sopClassUid(), r.sopInstanceUid(), FailureReason.PROCESSING_FAILURE, conflict.reason());
                continue;
            }
            events.publish(new ArchiveEvent.InstanceStored(tenant, r.studyUid(), r.seriesUid(), r.sopInstanceUid(), r.sopClassUid(), source));
            outcomes[i] = replaced.containsKey(r.sopInstanceUid()) ? p.stored().asReplacement() : p.stored();
        }
        return outcomes;
    }

    /**
     * Indexes again the instances a journal page of an earlier version recorded (LegacyH2Upgrade), oldest page
     * first, durably. An entry whose blob is missing or shorter than recorded is skipped: its batch failed or the
     * process stopped before its flush ended (never acknowledged), or a later store or delete removed the blob.
     * Re-indexing a store that did reach the index is a repeat, which changes nothing. Returns how many
     * instances were indexed again.
     */
    int reindex(List<LegacyIngestJournal.Entry> entries) throws IOException {
        List<InstanceRecord> records = new ArrayList<>();
        for (LegacyIngestJournal.Entry e : entries) {
            InstanceRecord r = storedRecord(e);
            if (r != null) records.add(r);
        }
        StoreResult result = index.store(records);
        for (StoreResult.Replaced r : result.replaced()) deleteQuietly(r.oldBlobKey());
        for (StoreResult.Conflict c : result.conflicts()) {
            for (InstanceRecord r : records) if (r.sopInstanceUid().equals(c.sopInstanceUid())) deleteQuietly(r.blobKey());
        }
        return records.size() - result.conflicts().size();
    }

    /** The index record of a journal entry's blob, or null when the blob is not the complete object recorded. */
    private InstanceRecord storedRecord(LegacyIngestJournal.Entry e) throws IOException {
        long size = store.size(e.blobKey());
        if (size != e.size()) {
            log.info("ingest journal: {} is {} (recorded {} bytes): not acknowledged, or replaced or deleted since; skipped",
                    e.blobKey(), size < 0 ? "missing" : size + " bytes", e.size());
            return null;
        }
        Prepared p;
        try (InputStream in = store.open(e.blobKey())) {
            // accepted within some configured budget, which MAXIMUM bounds: never refuse an acknowledged instance here
            DicomFile parsed = new DicomReader(in, size).readFile(ReadOptions.ALL.bulkDataOver(HEADER_BULK_THRESHOLD).within(ParseBudget.MAXIMUM));
            p = examine(e.tenant(), parsed, null, null, e.blobKey(), size);
        } catch (DicomParseException ex) {
            p = Prepared.failed(new IngestOutcome.Failed(null, null, FailureReason.CANNOT_UNDERSTAND, ex.getMessage()));
        }
        if (p.failure() != null) {
            log.warn("ingest journal: {} cannot be indexed again ({}): skipped", e.blobKey(), p.failure().message());
            return null;
        }
        return p.record();
    }

    /** An identifying UID with several values (VM 1 required): stored under its first, it would name another object. */
    private static String multiValued(DataSet ds, Object... tagAndName) {
        for (int i = 0; i < tagAndName.length; i += 2) {
            String[] values = ds.getStrings((Integer) tagAndName[i]);
            if (values.length > 1) {
                return tagAndName[i + 1] + " has " + values.length + " values ('" + String.join("\\", values) + "') where one is required";
            }
        }
        return null;
    }

    private static String firstProblem(String... valueAndName) {
        for (int i = 0; i < valueAndName.length; i += 2) {
            String value = valueAndName[i], name = valueAndName[i + 1];
            if (value == null) return name + " is missing";
            String p = Uids.problem(value);
            if (p != null) return name + " " + p;
        }
        return null;
    }

    /**
     * Gives a file that came without (complete) File Meta Information a preamble and meta header, its data set
     * copied as a stream (a bare data set of gigabytes costs a buffer of heap). Returns the syntax declared.
     */
    private static TransferSyntax rewriteAsPart10(Path file, DicomFile parsed) throws IOException {
        TransferSyntax ts = parsed.transferSyntax();
        Path part10 = file.resolveSibling(file.getFileName() + ".part10");
        try {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(part10, StandardOpenOption.CREATE_NEW), 64 * 1024)) {
                in.skipNBytes(parsed.dataSetOffset());
                ts = dataSyntax(in, ts);
                DicomWriter w = new DicomWriter(out, null);
                w.writePreambleAndMeta(DicomWriter.fileMetaFor(parsed.dataSet(), ts, null));
                w.flush();
                in.transferTo(out);
            }
            Files.move(part10, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return ts;
        } finally {
            Files.deleteIfExists(part10);
        }
    }

    /**
     * The reader trusts data that says implicit VR under a header saying explicit (as pydicom does); the new
     * header must then say implicit too, since the bytes are copied as they are.
     */
    private static TransferSyntax dataSyntax(InputStream in, TransferSyntax declared) throws IOException {
        if (declared != TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN || !in.markSupported()) return declared;
        in.mark(6);
        byte[] b = in.readNBytes(6);
        in.reset();
        boolean vr = b.length == 6 && b[4] >= 'A' && b[4] <= 'Z' && b[5] >= 'A' && b[5] <= 'Z';
        return b.length == 6 && !vr ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN : declared;
    }

    static void deleteSpool(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete spool file {}: {}", file, e.toString());
        }
    }

    private void deleteQuietly(String key) {
        try {
            store.delete(key);
        } catch (IOException e) {
            log.warn("could not delete blob {} (left as an unreferenced orphan): {}", key, e.toString());
        }
    }
}
