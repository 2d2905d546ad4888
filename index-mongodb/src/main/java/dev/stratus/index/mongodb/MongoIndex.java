package dev.stratus.index.mongodb;

import dev.stratus.index.IndexTime;
import dev.stratus.index.BatchStore;
import dev.stratus.index.SearchResults;

import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import dev.stratus.index.DeleteResult;
import dev.stratus.index.Index;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.OutboxEvent;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.StoreResult;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import dev.stratus.index.query.QidoQuery;
import dev.stratus.index.query.QueryResult;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static dev.stratus.index.mongodb.Fields.*;

/**
 * The index on MongoDB through the official sync driver, using only single-document atomic operations
 * (no transactions, so a standalone server will do): stores upsert each instance atomically, then
 * recount its series and study under a version guard; metadata claims are conditional updates of the
 * series document. Behaves as the SQL index does, as the shared contract suite checks.
 */
public final class MongoIndex implements Index {
    private final Database d;
    private final MetadataQueue metadata;
    private final Outbox outbox;
    private final boolean writesOutbox;

    private MongoIndex(Database d, boolean writesOutbox) {
        this.d = d;
        this.metadata = new MetadataQueue(d);
        this.outbox = new Outbox(d);
        this.writesOutbox = writesOutbox;
    }

    /**
     * Opens the index at a MongoDB connection string (mongodb:// or mongodb+srv://; the database is the
     * one the string names, else "stratus"). Opening does not need the server to be up unless
     * {@code migrate} is set, which creates or upgrades the indexes and refuses a database newer than this code.
     */
    public static MongoIndex open(String connectionString, boolean migrate) {
        return open(connectionString, null, null, migrate);
    }

    /** As {@link #open(String, boolean)}, with credentials given apart from the connection string (IndexFactory's form). */
    public static MongoIndex open(String connectionString, String user, String password, boolean migrate) {
        return open(connectionString, user, password, migrate, false);
    }

    /** As above; with {@code outbox}, every store and delete also writes its event_outbox rows (see Outbox). */
    public static MongoIndex open(String connectionString, String user, String password, boolean migrate, boolean outbox) {
        Database d = new Database(connectionString, user, password);
        if (migrate) {
            try {
                d.call(() -> {
                    Schema.migrate(d);
                    return null;
                });
            } catch (RuntimeException e) {
                d.close();
                throw e;
            }
        }
        return new MongoIndex(d, outbox);
    }

    @Override
    public StoreResult store(List<InstanceRecord> batch) {
        if (batch.isEmpty()) return new StoreResult(List.of(), List.of());
        BatchStore.checkUids(batch);
        return d.call(() -> StoreOperation.run(d, batch, writesOutbox ? outbox : null));
    }

    @Override
    public Optional<StoredInstance> findInstance(TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid) {
        List<Bson> c = new ArrayList<>(List.of(eq(ID, key(tenant.name(), sopInstanceUid))));
        if (studyUid != null) c.add(eq(STUDY_UID, studyUid));
        if (seriesUid != null) c.add(eq(SERIES_UID, seriesUid));
        return d.call(() -> Optional.ofNullable(d.instances.find(and(c)).projection(stored()).first()).map(MongoIndex::toStored));
    }

    /** Series of the study by number (absent last) then UID, each series' instances by number then UID: all read by index. */
    @Override
    public List<StoredInstance> listInstances(TenantId tenant, String studyUid, String seriesUid) {
        String t = tenant.name();
        return d.call(() -> {
            Bson ofStudy = and(eq(TENANT, t), eq(STUDY_UID, studyUid));
            List<String> seriesUids = d.series.find(seriesUid == null ? ofStudy : and(ofStudy, eq(SERIES_UID, seriesUid)))
                    .sort(Sorts.ascending(SERIES_ORDER, SERIES_UID))
                    .map(s -> s.getString(SERIES_UID)).into(new ArrayList<>());
            List<StoredInstance> out = new ArrayList<>();
            for (String s : seriesUids) {
                d.instances.find(and(eq(TENANT, t), eq(SERIES_UID, s), eq(STUDY_UID, studyUid)))
                        .sort(Sorts.ascending(INSTANCE_ORDER, SOP_INSTANCE_UID)).projection(stored())
                        .forEach(i -> out.add(toStored(i)));
            }
            return out;
        });
    }

    @Override
    public QueryResult search(TenantId tenant, QidoQuery query) {
        return d.call(() -> {
            SearchPipeline.Plan plan = SearchPipeline.plan(d, tenant, query);
            List<Document> docs = plan.collection().aggregate(plan.pipeline()).allowDiskUse(true).into(new ArrayList<>());
            boolean more = docs.size() > plan.limit();
            List<Document> page = more ? docs.subList(0, plan.limit()) : docs;
            return new QueryResult(new SearchResults(query).build(page.stream().map(d -> SearchRows.of(d, query.level())).toList()), more, plan.ignored());
        });
    }

    @Override
    public DeleteResult delete(TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid) {
        String t = tenant.name();
        return d.call(() -> {
            // A delete that fails half-way leaves its row unconfirmed: a relay sends it once the level is gone.
            List<Long> ids = writesOutbox ? outbox.announce(List.of(OutboxEvent.deleted(tenant, studyUid, seriesUid, sopInstanceUid,
                    IndexTime.nowMicros())), null) : List.of();
            DeleteResult result;
            if (sopInstanceUid != null) result = DeleteOperation.instance(d, t, studyUid, seriesUid, sopInstanceUid);
            else if (seriesUid != null) result = DeleteOperation.series(d, t, studyUid, seriesUid);
            else result = DeleteOperation.study(d, t, studyUid);
            if (result.found()) outbox.confirm(ids);
            else outbox.withdraw(ids);
            return result;
        });
    }

    @Override
    public List<OutboxEvent> claimOutbox(int limit, Duration lease) {
        return d.call(() -> outbox.claim(limit, lease));
    }

    @Override
    public Optional<Long> oldestOutboxMicros() {
        return d.call(outbox::oldestMicros);
    }

    @Override
    public void removeOutbox(Collection<Long> ids) {
        d.call(() -> {
            outbox.remove(ids);
            return null;
        });
    }

    /** In _id order: "tenant/uid" orders as (tenant, uid) does, since a tenant name has no '/'. */
    @Override
    public List<StoredInstance> instancesAfter(StoredInstance after, int max) {
        Bson from = after == null ? new Document() : com.mongodb.client.model.Filters.gt(ID, key(after.tenant().name(), after.sopInstanceUid()));
        return d.call(() -> d.instances.find(from).sort(Sorts.ascending(ID)).limit(max).projection(stored())
                .map(MongoIndex::toStored).into(new ArrayList<>()));
    }

    @Override
    public List<SeriesState> seriesAfter(SeriesRef after, int max) {
        return d.call(() -> metadata.statesAfter(after, max));
    }

    @Override
    public boolean requeueMetadata(SeriesRef series) {
        return d.call(() -> metadata.requeue(series));
    }

    @Override
    public Optional<SeriesState> seriesState(SeriesRef series) {
        return d.call(() -> metadata.state(series));
    }

    @Override
    public List<SeriesState> claimPendingSeries(long quietSinceMicros, int max, String workerId, Duration lease) {
        return d.call(() -> metadata.claim(quietSinceMicros, max, workerId, lease));
    }

    @Override
    public void metadataBuilt(SeriesRef series, String workerId, long flagTime, String documentKey) {
        d.call(() -> {
            metadata.built(series, workerId, flagTime, documentKey);
            return null;
        });
    }

    @Override
    public void metadataFailed(SeriesRef series, String workerId, String error, long retryAtMicros, int maxRetries) {
        d.call(() -> {
            metadata.failed(series, workerId, error, retryAtMicros, maxRetries);
            return null;
        });
    }

    @Override
    public void checkReady() {
        d.ping();
    }

    @Override
    public void close() {
        d.close();
    }

    private static Bson stored() {
        return Projections.include(TENANT, STUDY_UID, SERIES_UID, SOP_INSTANCE_UID, SOP_CLASS_UID,
                TRANSFER_SYNTAX_UID, BLOB_KEY, BLOB_SIZE, INSTANCE_NUMBER);
    }

    private static StoredInstance toStored(Document i) {
        return new StoredInstance(new TenantId(i.getString(TENANT)), i.getString(STUDY_UID), i.getString(SERIES_UID),
                i.getString(SOP_INSTANCE_UID), i.getString(SOP_CLASS_UID), i.getString(TRANSFER_SYNTAX_UID),
                i.getString(BLOB_KEY), i.get(BLOB_SIZE, Number.class).longValue(), i.getInteger(INSTANCE_NUMBER));
    }
}
