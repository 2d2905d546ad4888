package dev.stratus.index.sql;

import dev.stratus.index.BatchStore;
import dev.stratus.index.SearchResults;
import dev.stratus.index.query.Level;
import java.util.ArrayList;

import dev.stratus.index.DeleteResult;
import dev.stratus.index.Index;
import dev.stratus.index.IndexTime;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.OutboxEvent;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.StoreResult;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import dev.stratus.index.query.QidoQuery;
import dev.stratus.index.query.QueryResult;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static dev.stratus.index.sql.Tables.INSTANCE;
import static dev.stratus.index.sql.Tables.STUDY;
import static dev.stratus.index.sql.Tables.SERIES;

/**
 * The index on a relational database: SQLite (embedded default), PostgreSQL, MySQL or MariaDB, one
 * implementation with jOOQ rendering each dialect. The schema is created and upgraded by Flyway
 * (db/migration/&lt;vendor&gt;) when {@code migrate} is set.
 */
public final class SqlIndex implements Index {
    private final Database db;
    private final InstanceLookup lookup;
    private final MetadataQueue metadata;
    private final Outbox outbox;
    private final boolean writesOutbox;

    private SqlIndex(Database db, boolean writesOutbox) {
        this.db = db;
        this.lookup = new InstanceLookup(db.dsl());
        this.metadata = new MetadataQueue(db);
        this.outbox = new Outbox(db);
        this.writesOutbox = writesOutbox;
    }

    /**
     * Opens the index at a JDBC URL (jdbc:h2:, jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb:). Opening does
     * not need the database to be up unless {@code migrate} is set; IndexUnavailableException says why it is not.
     */
    public static SqlIndex open(String jdbcUrl, String user, String password, boolean migrate) {
        return open(jdbcUrl, user, password, migrate, false);
    }

    /** As above; with {@code outbox}, every committed store and delete also writes its event_outbox rows. */
    public static SqlIndex open(String jdbcUrl, String user, String password, boolean migrate, boolean outbox) {
        return new SqlIndex(new Database(jdbcUrl, user, password, migrate), outbox);
    }

    /** The embedded index of a data directory: a SQLite database in {@code <dataDir>/index/stratus.sqlite}. */
    public static String embeddedUrl(Path dataDir) {
        return EmbeddedSqlite.url(EmbeddedSqlite.file(dataDir));
    }

    @Override
    public StoreResult store(List<InstanceRecord> batch) {
        if (batch.isEmpty()) return new StoreResult(List.of(), List.of());
        BatchStore.checkUids(batch);
        return db.transaction(tx -> StoreOperation.run(tx, batch, writesOutbox));
    }

    /**
     * Embedded SQLite: the batch's statements run in the writers' group while its blobs are forced, and the group's
     * commit waits for them (one forced write less before a C-STORE is answered). Elsewhere, the blobs first: a
     * server's transaction would hold its series locks while they are forced.
     */
    @Override
    public StoreResult store(List<InstanceRecord> batch, BlobsDurable blobsDurable) throws IOException {
        if (!db.groupsCommits() || batch.isEmpty()) return Index.super.store(batch, blobsDurable);
        BatchStore.checkUids(batch);
        try {
            return db.transaction(tx -> {
                StoreResult result = StoreOperation.run(tx, batch, writesOutbox);
                try {
                    blobsDurable.await(); // before the savepoint is released: on failure, this batch alone rolls back
                } catch (IOException e) {
                    throw new BlobsNotDurable(e);
                }
                return result;
            });
        } catch (BlobsNotDurable e) {
            throw (IOException) e.getCause();
        }
    }

    @Override
    public boolean oneWriter() {
        return db.groupsCommits();
    }

    /** Carries a blob's failure out of the transaction, which only lets unchecked exceptions through. */
    private static final class BlobsNotDurable extends Database.NotTheDatabase {
        BlobsNotDurable(IOException cause) {
            super(cause);
        }
    }

    @Override
    public Optional<StoredInstance> findInstance(TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid) {
        if (studyUid != null && seriesUid != null) return db.read(dsl -> lookup.find(dsl, tenant, studyUid, seriesUid, sopInstanceUid));
        Condition c = INSTANCE.tenant.eq(tenant.name()).and(INSTANCE.sopInstanceUid.eq(sopInstanceUid));
        if (studyUid != null) c = c.and(INSTANCE.studyUid.eq(studyUid));
        if (seriesUid != null) c = c.and(INSTANCE.seriesUid.eq(seriesUid));
        Condition where = c;
        return db.read(dsl -> dsl.select(INSTANCE.stored()).from(INSTANCE.table).where(where).fetchOptional().map(SqlIndex::toStored));
    }

    @Override
    public List<StoredInstance> listInstances(TenantId tenant, String studyUid, String seriesUid) {
        return db.read(dsl -> lookup.list(dsl, tenant, studyUid, seriesUid));
    }

    @Override
    public QueryResult search(TenantId tenant, QidoQuery query) {
        SqlSearch.Plan plan = SqlSearch.plan(db.dsl(), tenant, query);
        Result<Record> rows = db.read(dsl -> dsl.fetch(plan.select()));
        boolean more = rows.size() > plan.limit();
        List<Record> page = more ? rows.subList(0, plan.limit()) : rows;
        List<SearchResults.Row> results = new ArrayList<>(page.size());
        for (Record r : page) results.add(rowOf(r, query.level()));
        return new QueryResult(new SearchResults(query).build(results), more, plan.ignored());
    }

    /** A search row as the shared result builder takes it; a level's columns are selected only at or below it. */
    private static SearchResults.Row rowOf(Record r, Level level) {
        boolean series = level != Level.STUDY, instance = level == Level.INSTANCE;
        return new SearchResults.Row(r.get(STUDY.studyUid), r.get(STUDY.attrs), r.get(STUDY.modalities), r.get(STUDY.sopClasses),
                r.get(STUDY.numSeries), r.get(STUDY.numInstances),
                series ? r.get(SERIES.seriesUid) : null, series ? r.get(SERIES.attrs) : null, series ? r.get(SERIES.numInstances) : null,
                instance ? r.get(INSTANCE.attrs) : null, instance ? r.get(INSTANCE.sopInstanceUid) : null,
                instance ? r.get(INSTANCE.sopClassUid) : null);
    }

    /** The SQL of a search with its values inlined, for EXPLAIN in tests and when tuning indexes. */
    String searchSql(TenantId tenant, QidoQuery query) {
        return db.dsl().renderInlined(SqlSearch.plan(db.dsl(), tenant, query).select());
    }

    String listInstancesSql(TenantId tenant, String studyUid, String seriesUid) {
        return db.dsl().renderInlined(InstanceLookup.listQuery(db.dsl(), tenant.name(), studyUid, seriesUid));
    }

    String existingInstancesSql(TenantId tenant, List<String> sopInstanceUids) {
        return db.dsl().renderInlined(StoreOperation.existingQuery(db.dsl(), tenant.name(), sopInstanceUids));
    }

    String seriesRecountSql(TenantId tenant, String seriesUid) {
        return db.dsl().renderInlined(Rollup.seriesSopClasses(db.dsl(), tenant.name(), seriesUid));
    }

    String pendingSeriesSql(long quietSinceMicros, int max) {
        long now = IndexTime.nowMicros();
        return db.dsl().renderInlined(MetadataQueue.candidates(db.dsl(), MetadataQueue.claimable(now, quietSinceMicros), max));
    }

    @Override
    public DeleteResult delete(TenantId tenant, String studyUid, String seriesUid, String sopInstanceUid) {
        String t = tenant.name();
        return db.transaction(tx -> {
            DeleteResult result;
            if (sopInstanceUid != null) result = DeleteOperation.instance(tx, t, studyUid, seriesUid, sopInstanceUid);
            else if (seriesUid != null) result = DeleteOperation.series(tx, t, studyUid, seriesUid);
            else result = DeleteOperation.study(tx, t, studyUid);
            if (writesOutbox && result.found()) {
                Outbox.insert(tx, List.of(OutboxEvent.deleted(tenant, studyUid, seriesUid, sopInstanceUid, IndexTime.nowMicros())));
            }
            return result;
        });
    }

    @Override
    public List<OutboxEvent> claimOutbox(int limit, Duration lease) {
        return outbox.claim(limit, lease);
    }

    @Override
    public void removeOutbox(Collection<Long> ids) {
        outbox.remove(ids);
    }

    @Override
    public Optional<Long> oldestOutboxMicros() {
        return outbox.oldestMicros();
    }

    @Override
    public List<StoredInstance> instancesAfter(StoredInstance after, int max) {
        return db.read(dsl -> {
            var ordered = dsl.select(INSTANCE.stored()).from(INSTANCE.table).orderBy(INSTANCE.tenant, INSTANCE.sopInstanceUid);
            var page = after == null ? ordered.limit(max) : ordered.seek(after.tenant().name(), after.sopInstanceUid()).limit(max);
            return page.fetch(SqlIndex::toStored);
        });
    }

    @Override
    public List<SeriesState> seriesAfter(SeriesRef after, int max) {
        return metadata.statesAfter(after, max);
    }

    @Override
    public boolean requeueMetadata(SeriesRef series) {
        return metadata.requeue(series);
    }

    @Override
    public Optional<SeriesState> seriesState(SeriesRef series) {
        return metadata.state(series);
    }

    @Override
    public List<SeriesState> claimPendingSeries(long quietSinceMicros, int max, String workerId, Duration lease) {
        return metadata.claim(quietSinceMicros, max, workerId, lease);
    }

    @Override
    public void metadataBuilt(SeriesRef series, String workerId, long flagTime, String documentKey) {
        metadata.built(series, workerId, flagTime, documentKey);
    }

    @Override
    public void metadataFailed(SeriesRef series, String workerId, String error, long retryAtMicros, int maxRetries) {
        metadata.failed(series, workerId, error, retryAtMicros, maxRetries);
    }

    @Override
    public void checkReady() {
        db.checkReady();
    }

    @Override
    public boolean isClosed() {
        return db.isClosed();
    }

    @Override
    public void close() {
        db.close();
    }

    private static StoredInstance toStored(Record r) {
        return new StoredInstance(new TenantId(r.get(INSTANCE.tenant)), r.get(INSTANCE.studyUid), r.get(INSTANCE.seriesUid),
                r.get(INSTANCE.sopInstanceUid), r.get(INSTANCE.sopClassUid), r.get(INSTANCE.transferSyntaxUid),
                r.get(INSTANCE.blobKey), r.get(INSTANCE.blobSize), r.get(INSTANCE.instanceNumber));
    }
}
