package dev.stratus.index.mongodb;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.stratus.index.IndexTime;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.OutboxEvent;
import dev.stratus.index.TenantId;
import dev.stratus.index.TestInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a relay makes of intents a crashed writer left unconfirmed (MongoDB has no transactions): sent when the index
 * shows the change, kept while a slow write may still come, dropped once abandoned.
 */
class MongoOutboxCrashTest {
    private static final TenantId T = new TenantId("t1");
    private final String uri = TestMongo.withDatabase(TestMongo.memoryServerUri(), TestMongo.randomDatabase());
    private final MongoIndex index = MongoIndex.open(uri, null, null, true, true);
    private final Database d = new Database(uri, null, null);
    private final Outbox outbox = new Outbox(d);

    @AfterEach
    void drop() {
        index.close();
        d.close();
        TestMongo.drop(uri);
    }

    /** Announces a store as a writer would, then "crashes": the intent stays unconfirmed, its confirm window passed. */
    private long crashedAfterAnnouncing(InstanceRecord r, long ageMicros) {
        long created = IndexTime.nowMicros() - ageMicros;
        long id = outbox.announce(List.of(OutboxEvent.stored(r, created)), List.of(r.blobKey())).getFirst();
        d.db.getCollection(Outbox.COLLECTION).updateOne(Filters.eq("_id", id), Updates.set("lease_expiry", 0L));
        return id;
    }

    @Test
    void anUnconfirmedIntentIsSentWhenItsWriteHappenedKeptWhileItMayStillComeAndDroppedWhenAbandoned() {
        InstanceRecord written = TestInstance.of(T, "1.1", "1.1.1", "1.1.1.1").build();
        InstanceRecord pending = TestInstance.of(T, "1.1", "1.1.1", "1.1.1.2").build();
        InstanceRecord abandoned = TestInstance.of(T, "1.1", "1.1.1", "1.1.1.3").build();
        long writtenId = crashedAfterAnnouncing(written, 0);
        crashedAfterAnnouncing(pending, 0);
        crashedAfterAnnouncing(abandoned, Outbox.ABANDONED_AFTER_MICROS + 1);
        try (MongoIndex plain = MongoIndex.open(uri, null, null, false, false)) {
            plain.store(List.of(written)); // the write the crashed writer made before it could confirm
        }

        List<OutboxEvent> claimed = index.claimOutbox(10, Duration.ofMillis(1));
        assertEquals(List.of(writtenId), claimed.stream().map(OutboxEvent::id).toList(), "only the write that happened");
        assertEquals(2, d.db.getCollection(Outbox.COLLECTION).countDocuments(), "the abandoned intent is gone, the pending one kept");
    }
}
