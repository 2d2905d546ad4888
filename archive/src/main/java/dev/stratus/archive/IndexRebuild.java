package dev.stratus.archive;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.ParseBudget;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.Tag;
import dev.stratus.index.Index;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.StoreResult;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import dev.stratus.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Index rows made again from the stored objects alone, each header read from its blob as ingest read it:
 * {@code stratus reindex --from-storage} (every instance blob in the store, after the index was lost) and
 * {@code stratus move-index} (the instances one index names, into another backend). Rows are written in batches of
 * {@link #BATCH}; neither holds more than a batch of headers. Series metadata documents are not carried over: the
 * target's series are pending, and its metadata worker builds them.
 */
public final class IndexRebuild {
    static final int BATCH = 100;
    /** Values longer than this are not indexed (as Examination.HEADER_BULK_THRESHOLD): skipped on disk. */
    private static final long BULK_THRESHOLD = 64 * 1024;

    /**
     * @param indexed    instances written into the target index
     * @param skipped    blobs left out that should not have been: unreadable, not matching their key, refused by the index
     * @param superseded older copies of an instance left out (orphans, which {@code stratus check --repair} removes)
     * @param mended      study and series rows given the attributes of another instance of theirs (RowAlignment; reindex: the newest blob's)
     */
    public record Result(long indexed, long skipped, long superseded, long mended) {}

    private final BlobStore store;
    private final Index target;

    public IndexRebuild(BlobStore store, Index target) {
        this.store = store;
        this.target = target;
    }

    /**
     * Indexes every instance blob of every tenant. Two blobs of one instance (the older one a replaced copy that a crash
     * left) resolve to the newer. Each study and series row takes its attributes from its newest blob, as it took them
     * from the instance stored last (NewestBlobs). {@code problems} hears of each blob left out, and why.
     */
    public Result fromStorage(Consumer<String> problems) throws IOException {
        List<InstanceRecord> batch = new ArrayList<>(BATCH);
        long[] counts = new long[4];
        NewestBlobs newest = new NewestBlobs();
        try {
            store.walk(BlobKeys.ROOT, blob -> {
                if (!(BlobKeys.parse(blob.key()) instanceof BlobKeys.InstanceBlob named)) return;
                try {
                    InstanceRecord r = read(named.tenant(), blob.key(), blob.size());
                    if (!named.study().equals(r.studyUid()) || !named.series().equals(r.seriesUid()) || !named.sop().equals(r.sopInstanceUid())) {
                        throw new IOException("its UIDs are not those its key names");
                    }
                    newest.seen(r, blob.modified());
                    batch.add(r);
                    if (batch.size() == BATCH) {
                        counts[0] += store(batch, problems, counts);
                        counts[3] += newest.storeLast(target);
                    }
                } catch (IOException e) {
                    counts[1]++;
                    problems.accept(blob.key() + ": left out: " + e.getMessage());
                }
            });
            newest.walkEnded();
            counts[0] += store(batch, problems, counts);
            counts[3] += newest.storeLast(target);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Result(counts[0], counts[1], counts[2], counts[3]);
    }

    /**
     * Indexes the instances {@code source} names, page by page, each read again from its blob; {@code problems} hears
     * of each one whose blob cannot be read.
     */
    public Result fromIndex(Index source, Consumer<String> problems) throws IOException {
        List<InstanceRecord> batch = new ArrayList<>(BATCH);
        long[] counts = new long[3];
        StoredInstance last = null;
        for (List<StoredInstance> page; !(page = source.instancesAfter(last, BATCH)).isEmpty(); last = page.getLast()) {
            for (StoredInstance i : page) {
                try {
                    batch.add(read(i));
                } catch (IOException e) {
                    counts[1]++;
                    problems.accept("instance " + i.sopInstanceUid() + " (" + i.blobKey() + "): left out: " + e.getMessage());
                }
            }
            counts[0] += store(batch, problems, counts);
        }
        long mended = new RowAlignment(source, target, i -> {
            try {
                return read(i);
            } catch (IOException e) {
                return null; // named as left out above
            }
        }).align();
        return new Result(counts[0], counts[1], counts[2], mended);
    }

    /** The index row of an instance another index names, read again from its blob. */
    private InstanceRecord read(StoredInstance i) throws IOException {
        InstanceRecord r = read(i.tenant(), i.blobKey(), i.blobSize());
        return new InstanceRecord(i.tenant(), i.studyUid(), i.seriesUid(), i.sopInstanceUid(), i.sopClassUid(),
                i.transferSyntaxUid(), i.blobKey(), i.blobSize(), r.attributes());
    }

    /** An index row of the blob at {@code key}, as ingest made it: its header without bulk data. */
    private InstanceRecord read(TenantId tenant, String key, long size) throws IOException {
        DicomFile f;
        try (InputStream in = store.open(key)) {
            f = new DicomReader(in, size).readFile(ReadOptions.ALL.bulkDataOver(BULK_THRESHOLD).within(ParseBudget.MAXIMUM));
        } catch (DicomParseException e) {
            throw new IOException("not readable as DICOM: " + e.getMessage(), e);
        }
        DataSet ds = f.dataSet();
        String ts = Objects.requireNonNullElse(f.fileMeta().getString(Tag.TransferSyntaxUID), f.transferSyntax().uid());
        return new InstanceRecord(tenant, ds.getString(Tag.StudyInstanceUID), ds.getString(Tag.SeriesInstanceUID), ds.getString(Tag.SOPInstanceUID),
                ds.getString(Tag.SOPClassUID), ts, key, size, DataSets.withoutBulkData(ds));
    }

    /** Writes the batch and empties it; of two blobs of one instance the newer stays indexed. Returns the rows written. */
    private long store(List<InstanceRecord> batch, Consumer<String> problems, long[] counts) {
        if (batch.isEmpty()) return 0;
        StoreResult result = target.store(batch);
        long written = batch.size() - result.conflicts().size();
        for (StoreResult.Conflict c : result.conflicts()) {
            counts[1]++;
            problems.accept("instance " + c.sopInstanceUid() + ": left out: " + c.reason());
        }
        for (StoreResult.Replaced r : result.replaced()) {
            // the copy that replaced it: the batch's last of that instance (an earlier one in the batch may be the old copy)
            InstanceRecord now = batch.stream().filter(b -> b.sopInstanceUid().equals(r.sopInstanceUid()) && !b.blobKey().equals(r.oldBlobKey()))
                    .reduce((a, b) -> b).orElseThrow();
            counts[2]++;
            written--;
            try {
                if (modified(r.oldBlobKey()).isAfter(modified(now.blobKey()))) {
                    target.store(List.of(read(now.tenant(), r.oldBlobKey(), store.size(r.oldBlobKey())))); // the newer copy back
                    problems.accept(now.blobKey() + ": left out: an older copy of instance " + r.sopInstanceUid() + " than " + r.oldBlobKey() + " (an orphan)");
                } else {
                    problems.accept(r.oldBlobKey() + ": left out: an older copy of instance " + r.sopInstanceUid() + " than " + now.blobKey() + " (an orphan)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        batch.clear();
        return written;
    }

    /** When the blob was written, from a listing of its folder (a store tells it only so). */
    private Instant modified(String key) throws IOException {
        Instant[] found = {Instant.MIN};
        store.walk(key.substring(0, key.lastIndexOf('/')), b -> {
            if (b.key().equals(key)) found[0] = b.modified();
        });
        return found[0];
    }
}
