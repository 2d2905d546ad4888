package dev.stratus.index.mongodb;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.stratus.index.IndexTime;
import dev.stratus.index.OutboxEvent;
import dev.stratus.index.TenantId;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;
import static dev.stratus.index.mongodb.Fields.*;

/**
 * The event outbox without transactions (docs/decisions/0004): a change's rows are inserted before it as
 * unconfirmed intents, confirmed once it is written (or withdrawn when it wrote nothing). A relay sends confirmed
 * rows; an intent left unconfirmed by a crash becomes claimable after {@link #CONFIRM_WINDOW_MICROS}, and is then
 * sent as soon as the index shows its change happened (the instance is there with its blob key, the deleted level
 * is gone), or dropped once {@link #ABANDONED_AFTER_MICROS} passed without it. So an acknowledged write always has its event, and no event names a write that never was.
 */
final class Outbox {
    static final String COLLECTION = "event_outbox";
    private static final String COUNTERS = "counters";
    /** How long an intent waits for its write to finish before a relay checks the write itself. */
    static final long CONFIRM_WINDOW_MICROS = 60_000_000L;
    /** An intent whose change is still not in the index this long after it was announced is dropped: its writer died. */
    static final long ABANDONED_AFTER_MICROS = 15 * 60_000_000L;

    private static final String KIND = "kind", SOP_CLASS = "sop_class_uid", BLOB = "blob_key", CREATED = "created_time";
    private static final String LEASE_EXPIRY = "lease_expiry", LEASE_OWNER = "lease_owner", UNCONFIRMED = "unconfirmed";

    private final Database d;
    private final MongoCollection<Document> rows;

    Outbox(Database d) {
        this.d = d;
        this.rows = d.db.getCollection(COLLECTION);
    }

    /** Inserts unconfirmed rows for changes about to be written (blobKeys: the stored instances' keys, else null); returns their ids. */
    List<Long> announce(List<OutboxEvent> events, List<String> blobKeys) {
        Document counter = d.db.getCollection(COUNTERS).findOneAndUpdate(eq(ID, COLLECTION), Updates.inc("seq", (long) events.size()),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        long first = counter.get("seq", Number.class).longValue() - events.size() + 1;
        long expiry = IndexTime.nowMicros() + CONFIRM_WINDOW_MICROS;
        List<Document> docs = new ArrayList<>(events.size());
        List<Long> ids = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            OutboxEvent e = events.get(i);
            ids.add(first + i);
            docs.add(new Document(ID, first + i).append(KIND, e.kind().name()).append(TENANT, e.tenant().name())
                    .append(STUDY_UID, e.studyUid()).append(SERIES_UID, e.seriesUid()).append(SOP_INSTANCE_UID, e.sopInstanceUid())
                    .append(SOP_CLASS, e.sopClassUid()).append(BLOB, blobKeys == null ? null : blobKeys.get(i))
                    .append(CREATED, e.createdMicros()).append(UNCONFIRMED, true).append(LEASE_EXPIRY, expiry));
        }
        if (!docs.isEmpty()) rows.insertMany(docs);
        return ids;
    }

    /** The changes were written: their rows become claimable at once. */
    void confirm(List<Long> ids) {
        if (!ids.isEmpty()) rows.updateMany(in(ID, ids), Updates.combine(Updates.unset(UNCONFIRMED), Updates.set(LEASE_EXPIRY, null)));
    }

    /** The commit time of the oldest confirmed row (an intent is no event yet: its write may not have happened). */
    java.util.Optional<Long> oldestMicros() {
        Document oldest = rows.find(com.mongodb.client.model.Filters.exists(UNCONFIRMED, false)).sort(Sorts.ascending(ID)).limit(1).first();
        return oldest == null ? java.util.Optional.empty() : java.util.Optional.of(oldest.get(CREATED, Number.class).longValue());
    }

    /** The changes were not written (a conflict, nothing to delete). */
    void withdraw(Collection<Long> ids) {
        if (!ids.isEmpty()) rows.deleteMany(in(ID, ids));
    }

    List<OutboxEvent> claim(int limit, Duration lease) {
        if (limit <= 0) return List.of();
        long now = IndexTime.nowMicros();
        Bson claimable = or(eq(LEASE_EXPIRY, null), lt(LEASE_EXPIRY, now));
        List<Object> ids = rows.find(claimable).sort(Sorts.ascending(ID)).limit(limit).map(doc -> doc.get(ID)).into(new ArrayList<>());
        if (ids.isEmpty()) return List.of();
        String owner = UUID.randomUUID().toString();
        // One conditional update: a row another relay took meanwhile no longer matches claimable.
        rows.updateMany(and(in(ID, ids), claimable), Updates.combine(Updates.set(LEASE_OWNER, owner),
                Updates.set(LEASE_EXPIRY, now + lease.toNanos() / 1000)));
        List<OutboxEvent> claimed = new ArrayList<>();
        List<Object> dropped = new ArrayList<>();
        for (Document doc : rows.find(and(in(ID, ids), eq(LEASE_OWNER, owner))).sort(Sorts.ascending(ID))) {
            OutboxEvent e = new OutboxEvent(doc.get(ID, Number.class).longValue(), OutboxEvent.Kind.valueOf(doc.getString(KIND)),
                    new TenantId(doc.getString(TENANT)), doc.getString(STUDY_UID), doc.getString(SERIES_UID),
                    doc.getString(SOP_INSTANCE_UID), doc.getString(SOP_CLASS), doc.get(CREATED, Number.class).longValue());
            if (!doc.getBoolean(UNCONFIRMED, false) || happened(e, doc.getString(BLOB))) claimed.add(e);
            else if (e.createdMicros() < now - ABANDONED_AFTER_MICROS) dropped.add(doc.get(ID));
            // else: a slow write may still come; looked at again when this lease expires
        }
        if (!dropped.isEmpty()) rows.deleteMany(in(ID, dropped));
        return claimed;
    }

    /** Whether the change an unconfirmed row announced is in the index (its writer stopped before confirming). */
    private boolean happened(OutboxEvent e, String blobKey) {
        String t = e.tenant().name();
        return switch (e.kind()) {
            case INSTANCE_STORED -> d.instances.find(and(eq(ID, key(t, e.sopInstanceUid())), eq(SERIES_UID, e.seriesUid()),
                    eq(STUDY_UID, e.studyUid()), eq(BLOB_KEY, blobKey))).first() != null;
            case INSTANCE_DELETED -> d.instances.find(and(eq(ID, key(t, e.sopInstanceUid())), eq(SERIES_UID, e.seriesUid()))).first() == null;
            case SERIES_DELETED -> d.series.find(and(eq(ID, key(t, e.seriesUid())), eq(STUDY_UID, e.studyUid()))).first() == null;
            case STUDY_DELETED -> d.studies.find(eq(ID, key(t, e.studyUid()))).first() == null;
        };
    }

    void remove(Collection<Long> ids) {
        if (!ids.isEmpty()) rows.deleteMany(in(ID, List.copyOf(ids)));
    }
}
