package dev.stratus.archive;

import dev.stratus.index.Index;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.StoredInstance;
import dev.stratus.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Removes blobs that no index row refers to and that are older than a grace period. They are what a crash leaves:
 * an instance placed in storage but not yet indexed (never acknowledged, never served), the old blob of a replaced
 * instance or the blobs of a delete when the process stopped between the index commit and the blob delete, a metadata
 * document whose series was rebuilt or deleted. The grace period must exceed the longest store (a STOW request of
 * many large instances) and metadata build: a younger blob may be one that is about to be indexed.
 * <p>
 * Each blob is looked up in the index by the UIDs in its key, one query per blob; run it off-peak
 * ({@code stratus check --repair} is its command). Keys of other shapes are left alone.
 */
public final class OrphanSweep {
    private static final Logger log = LoggerFactory.getLogger(OrphanSweep.class);
    /** Long enough for any store or metadata build to have committed; the sweep's default. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);

    /**
     * @param examined blobs of the archive's shapes looked at
     * @param young    of those, left because they are within the grace period
     * @param removed  unreferenced ones deleted
     */
    public record Result(long examined, long young, long removed) {}

    private final BlobStore store;
    private final Index index;

    public OrphanSweep(BlobStore store, Index index) {
        this.store = store;
        this.index = index;
    }

    /** Sweeps every tenant's blobs; {@code now} minus {@code grace} is the newest a removed blob may be. */
    public Result run(Duration grace, Instant now) throws IOException {
        return run(grace, now, true, orphan -> {});
    }

    /**
     * Finds the unreferenced blobs older than the grace period, tells {@code found} of each, and removes them only when
     * {@code remove} is set ({@code stratus check} looks first; {@code --repair} removes).
     */
    public Result run(Duration grace, Instant now, boolean remove, java.util.function.Consumer<BlobStore.Listed> found) throws IOException {
        if (grace.isNegative()) throw new IllegalArgumentException("the grace period must not be negative: " + grace);
        Instant cutoff = now.minus(grace);
        long[] counts = new long[3];
        try {
            store.walk(BlobKeys.ROOT, blob -> {
                BlobKeys.Named named = BlobKeys.parse(blob.key());
                if (named == null) return;
                counts[0]++;
                if (!blob.modified().isBefore(cutoff)) {
                    counts[1]++;
                    return;
                }
                if (referenced(blob.key(), named)) return;
                found.accept(blob);
                if (!remove) return;
                try {
                    store.delete(blob.key());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                counts[2]++;
                log.info("orphan sweep: removed {} ({} bytes, written {}), which no index row refers to", blob.key(), blob.size(), blob.modified());
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Result(counts[0], counts[1], counts[2]);
    }

    private boolean referenced(String key, BlobKeys.Named named) {
        return switch (named) {
            case BlobKeys.InstanceBlob i -> index.findInstance(i.tenant(), i.study(), i.series(), i.sop())
                    .map(StoredInstance::blobKey).filter(key::equals).isPresent();
            case BlobKeys.MetadataDocument d -> index.seriesState(new SeriesRef(d.tenant(), d.study(), d.series()))
                    .map(SeriesState::metadataDocumentKey).filter(k -> Objects.equals(k, key)).isPresent();
        };
    }
}
