package dev.stratus.archive;

import dev.stratus.index.Index;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.StoredInstance;
import dev.stratus.storage.BlobStore;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Compares the index with the blob store ({@code stratus check}): every indexed instance's blob is there with the size
 * the index recorded, every series counts the instances it holds and has a current metadata document (or is about to),
 * and no blob older than the grace period is unreferenced ({@link OrphanSweep}). With {@code repair}, what can be
 * mended without losing anything is: old orphans are removed, stale series documents are queued for the metadata
 * worker. A missing or truncated blob and a wrong count are reported only: their mending needs the operator (a backup,
 * or deleting the instance).
 * <p>The index is walked a page at a time and the store one blob at a time; memory holds one count per series. It may
 * run beside a server: what changes during the check is judged again, or left to the next one, rather than reported.
 */
public final class ConsistencyCheck {
    private static final int PAGE = 500;

    /** Something found wrong, as it is reported; {@code repaired}: {@code --repair} mended it. */
    public sealed interface Finding {
        boolean repaired();
    }

    /** An indexed instance whose blob is not in the store. */
    public record MissingBlob(StoredInstance instance) implements Finding {
        public boolean repaired() { return false; }
    }

    /** An indexed instance whose blob's size is not the one indexed (truncated, or overwritten). */
    public record WrongSize(StoredInstance instance, long storedSize) implements Finding {
        public boolean repaired() { return false; }
    }

    /** A blob no index row refers to, older than the grace period. */
    public record Orphan(BlobStore.Listed blob, boolean repaired) implements Finding {}

    /** A series whose instance count is not the number of its instances. */
    public record WrongCount(SeriesState series, int counted) implements Finding {
        public boolean repaired() { return false; }
    }

    /** A series whose metadata document failed, is lost, or has not been built for longer than the grace period. */
    public record StaleMetadata(SeriesState series, String why, boolean repaired) implements Finding {}

    /**
     * @param instances   indexed instances checked
     * @param series      series checked
     * @param blobs       blobs of the archive's shapes examined
     * @param youngBlobs  of those, left unjudged because they are within the grace period
     * @param problems    findings
     * @param repaired    of those, mended
     */
    public record Report(long instances, long series, long blobs, long youngBlobs, long problems, long repaired) {
        public long remaining() { return problems - repaired; }
    }

    private final BlobStore store;
    private final Index index;

    public ConsistencyCheck(BlobStore store, Index index) {
        this.store = store;
        this.index = index;
    }

    /**
     * Runs the check, telling {@code findings} of each problem as it is found.
     *
     * @param grace how old an unreferenced blob or an unbuilt metadata document must be to count as a problem
     */
    public Report run(Duration grace, boolean repair, Consumer<Finding> findings) throws IOException {
        Instant started = Instant.now();
        long startedMicros = started.toEpochMilli() * 1000;
        long[] problems = new long[2];
        Consumer<Finding> tally = f -> {
            problems[0]++;
            if (f.repaired()) problems[1]++;
            findings.accept(f);
        };
        Map<SeriesRef, Integer> counted = new HashMap<>();
        long instances = 0;
        StoredInstance last = null;
        for (List<StoredInstance> page; !(page = index.instancesAfter(last, PAGE)).isEmpty(); last = page.getLast()) {
            for (StoredInstance i : page) {
                instances++;
                counted.merge(new SeriesRef(i.tenant(), i.studyUid(), i.seriesUid()), 1, Integer::sum);
                checkBlob(i, tally);
            }
        }
        long series = 0;
        SeriesRef after = null;
        for (List<SeriesState> page; !(page = index.seriesAfter(after, PAGE)).isEmpty(); after = page.getLast().series()) {
            for (SeriesState s : page) {
                series++;
                int count = counted.getOrDefault(s.series(), 0);
                // a series changed since the walk began may count an instance the walk had passed: judged next time
                if (count != s.instanceCount() && s.updatedTime() < startedMicros) tally.accept(new WrongCount(s, count));
                checkMetadata(s, startedMicros - grace.toNanos() / 1000, repair, tally);
            }
        }
        OrphanSweep.Result swept = new OrphanSweep(store, index).run(grace, started, repair, blob -> tally.accept(new Orphan(blob, repair)));
        return new Report(instances, series, swept.examined(), swept.young(), problems[0], problems[1]);
    }

    private void checkBlob(StoredInstance i, Consumer<Finding> tally) throws IOException {
        long size = store.size(i.blobKey());
        if (size == i.blobSize()) return;
        // a delete or replace between the page's read and now is no problem: only a row still pointing there is
        if (!index.findInstance(i.tenant(), i.studyUid(), i.seriesUid(), i.sopInstanceUid())
                .map(StoredInstance::blobKey).filter(i.blobKey()::equals).isPresent()) return;
        tally.accept(size < 0 ? new MissingBlob(i) : new WrongSize(i, size));
    }

    private void checkMetadata(SeriesState s, long unbuiltSinceMicros, boolean repair, Consumer<Finding> tally) throws IOException {
        String why;
        if ("FAILED".equals(s.metadataStatus())) {
            why = "its metadata document failed to build: " + Objects.requireNonNullElse(s.metadataError(), "no reason recorded");
        } else if (s.metadataIsCurrent()) {
            if (store.size(s.metadataDocumentKey()) >= 0) return;
            why = "its metadata document " + s.metadataDocumentKey() + " is not in the store";
        } else if (s.updatedTime() < unbuiltSinceMicros) {
            why = "its metadata document has not been built since the series changed at "
                    + Instant.ofEpochMilli(s.updatedTime() / 1000) + " (is a metadata worker running?)";
        } else {
            return; // changed lately: the worker builds it once the series is quiet
        }
        tally.accept(new StaleMetadata(s, why, repair && index.requeueMetadata(s.series())));
    }
}
