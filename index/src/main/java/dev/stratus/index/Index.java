package dev.stratus.index;

import dev.stratus.index.query.QidoQuery;
import dev.stratus.index.query.QueryResult;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The archive's catalogue: every call is scoped to one tenant. Implementations: SQL (SQLite, PostgreSQL,
 * MySQL/MariaDB through jOOQ) and MongoDB; one contract test suite proves they behave the same.
 */
public interface Index extends AutoCloseable {

    /**
     * Inserts or replaces instances in one transaction, durable when it returns: the study and series rows, counts and
     * {@code updated_time} of each touched series follow. Storing the same SOP Instance UID again in the same
     * series replaces it (its previous blob key is returned for deletion); one already stored in another
     * study or series of the tenant is refused as a conflict.
     */
    StoreResult store(List<InstanceRecord> batch);

    /**
     * As {@link #store(List)}, committed only after {@code blobsDurable} has returned: an index may run the batch's
     * statements while its blobs are still being forced, and await them before its commit. When it throws, nothing of
     * the batch is committed and its failure is thrown.
     */
    default StoreResult store(List<InstanceRecord> batch, BlobsDurable blobsDurable) throws IOException {
        blobsDurable.await();
        return store(batch);
    }

    /**
     * Whether this index takes one writer at a time (embedded SQLite): then stores that arrive together are best handed
     * in as one batch, as they would wait for each other anyway.
     */
    default boolean oneWriter() { return false; }

    /** Returns once the blobs of a batch are durable; throws when one cannot be made so. */
    @FunctionalInterface
    interface BlobsDurable {
        void await() throws IOException;
    }

    /** One instance; studyUid and seriesUid may be null to look up by SOP Instance UID alone. */
    Optional<StoredInstance> findInstance(TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid);

    /** Instances of a study, or of one series when seriesUid is given, ordered by series then instance number. */
    List<StoredInstance> listInstances(TenantId tenant, String studyUid, String seriesUid);

    /** QIDO-RS search (and C-FIND, through the same query model). */
    QueryResult search(TenantId tenant, QidoQuery query);

    /** Deletes a study, a series (seriesUid given) or an instance (both given); counts and series state follow. */
    DeleteResult delete(TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid);

    Optional<SeriesState> seriesState(SeriesRef series);

    /**
     * Claims up to {@code max} series whose metadata document is missing or older than the series, whose
     * last change is at or before {@code quietSinceMicros}, that are not leased by another worker and whose
     * retry time has come. A claim is a lease: it expires after {@code lease} so a crashed worker's series
     * are picked up again. Two workers never hold the same series at once.
     */
    List<SeriesState> claimPendingSeries(long quietSinceMicros, int max, String workerId, Duration lease);

    /** Records that the document at {@code documentKey} was built from the series as of {@code flagTime}. */
    void metadataBuilt(SeriesRef series, String workerId, long flagTime, String documentKey);

    /** Records a failed build: retried at {@code retryAtMicros}, or marked FAILED after {@code maxRetries}. */
    void metadataFailed(SeriesRef series, String workerId, String error, long retryAtMicros, int maxRetries);

    /**
     * Claims up to {@code limit} outbox rows, oldest first, that no relay holds (or whose lease expired), for
     * {@code lease}: two relays never hold the same row. Rows are written only by an index opened with the outbox
     * on (IndexFactory); this reads them whatever it was opened with.
     */
    List<OutboxEvent> claimOutbox(int limit, Duration lease);

    /** Removes relayed outbox rows; ids already removed are ignored. */
    void removeOutbox(Collection<Long> ids);

    /**
     * The commit time (µs) of the oldest event still in the outbox, whichever relay holds it; empty when none waits.
     * Every node's readiness reads it, so that not only the node holding the waiting events says they wait.
     */
    Optional<Long> oldestOutboxMicros();

    /**
     * Up to {@code max} instances of every tenant in (tenant, SOP Instance UID) order, those after {@code after} (null:
     * from the first): maintenance (stratus check) walks the whole index a page at a time, never holding it all.
     */
    List<StoredInstance> instancesAfter(StoredInstance after, int max);

    /** Up to {@code max} series states of every tenant in (tenant, Series Instance UID) order, after {@code after} (null: from the first). */
    List<SeriesState> seriesAfter(SeriesRef after, int max);

    /**
     * Makes the series' metadata document due for a build now, its failed tries forgotten: for a series marked FAILED
     * or whose document is lost. Returns false when there is no such series.
     */
    boolean requeueMetadata(SeriesRef series);

    /** Throws IndexUnavailableException with a reason when the database cannot answer. */
    void checkReady();

    /** True once the index is closed for good (its connections released): nothing can be served from it again. */
    default boolean isClosed() { return false; }

    @Override
    void close();
}
