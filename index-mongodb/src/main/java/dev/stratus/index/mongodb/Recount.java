package dev.stratus.index.mongodb;

import com.mongodb.MongoException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.stratus.index.HeaderExtract;
import dev.stratus.index.IndexTime;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.RetryPolicy;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static dev.stratus.index.mongodb.Fields.*;

/**
 * Recounts a series from its instances and a study from its series after every write, without
 * transactions: a recount reads the document's version, counts, and writes only if the version is still
 * the one it read; otherwise someone recounted in between and it starts again. Every writer recounts
 * after its own write, so the last recount to succeed has seen every write before it: counts are exact.
 */
final class Recount {
    private Recount() {}

    static final String PENDING = "PENDING";
    /** A recount that found the document changed since it read it starts again; many writers to one series race often. */
    private static final RetryPolicy LOST_RACE = RetryPolicy.lostRace(200, Duration.ofMillis(2), Duration.ofMillis(40));

    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);

    /** Runs between a recount's reads and its write; tests widen this window to make races likely. */
    static volatile Runnable raceWindow = () -> {};

    /**
     * The series document, created empty (updated_time 0, invisible to searches) when missing, so that
     * its study is settled before instances are written into it.
     */
    static Document seriesCreating(Database d, String tenant, String seriesUid, String studyUid) {
        String id = key(tenant, seriesUid);
        for (int attempt = 1; ; attempt++) {
            Document doc = d.series.find(eq(ID, id)).projection(Projections.include(STUDY_UID, UPDATED_TIME, VERSION)).first();
            if (doc != null) return doc;
            try {
                d.series.updateOne(eq(ID, id), Updates.combine(
                        Updates.setOnInsert(TENANT, tenant), Updates.setOnInsert(SERIES_UID, seriesUid),
                        Updates.setOnInsert(STUDY_UID, studyUid), Updates.setOnInsert(STUDY_KEY, key(tenant, studyUid)),
                        Updates.setOnInsert(NUM_INSTANCES, 0), Updates.setOnInsert(UPDATED_TIME, 0L),
                        Updates.setOnInsert(VERSION, 0L)), UPSERT);
            } catch (MongoException e) {
                if (!Database.isDuplicateKey(e) || attempt >= 3) throw e; // a concurrent upsert of the same series won
            }
        }
    }

    /**
     * Recounts a series after its instances changed: count, SOP classes, updated_time (strictly increasing),
     * the attributes of {@code newest} (null on delete), and its metadata marked PENDING with fresh retries.
     * An empty series is removed; its metadata document key is returned. {@code studyUid} (null on delete)
     * recreates a series that a concurrent delete removed after this store wrote into it.
     */
    static String refreshSeries(Database d, String tenant, String seriesUid, String studyUid, InstanceRecord newest) {
        String id = key(tenant, seriesUid);
        for (int attempt = 1; attempt <= LOST_RACE.attempts(); attempt++) {
            Document doc = d.series.find(eq(ID, id)).projection(Projections.include(VERSION, UPDATED_TIME, METADATA)).first();
            if (doc == null) {
                if (studyUid == null) return null;
                seriesCreating(d, tenant, seriesUid, studyUid);
                continue;
            }
            long version = doc.get(VERSION, Number.class).longValue();
            Bson unchanged = and(eq(ID, id), eq(VERSION, version));
            Bson ofSeries = and(eq(TENANT, tenant), eq(SERIES_UID, seriesUid));
            long count = d.instances.countDocuments(ofSeries);
            raceWindow.run();
            if (count == 0) {
                if (d.series.deleteOne(unchanged).getDeletedCount() == 1) return documentKey(doc);
            } else {
                TreeSet<String> sopClasses = d.instances.distinct(SOP_CLASS_UID, and(ofSeries, Filters.ne(SOP_CLASS_UID, null)), String.class)
                        .into(new TreeSet<>());
                long time = Math.max(doc.get(UPDATED_TIME, Number.class).longValue() + 1, IndexTime.nowMicros());
                List<Bson> set = new ArrayList<>(List.of(
                        Updates.set(NUM_INSTANCES, (int) count),
                        Updates.set(SOP_CLASSES, HeaderExtract.joined(sopClasses, 4000)),
                        Updates.set(UPDATED_TIME, time),
                        Updates.set(VERSION, version + 1),
                        // A change makes the metadata document stale: PENDING again, with fresh retries.
                        Updates.set(STATUS, PENDING), Updates.set(RETRIES, 0), Updates.set(NEXT_ATTEMPT_TIME, 0L),
                        Updates.set(LAST_ERROR, null)));
                if (newest != null) HeaderFields.series(newest).forEach((k, v) -> set.add(Updates.set(k, v)));
                if (d.series.updateOne(unchanged, Updates.combine(set)).getMatchedCount() == 1) return null;
            }
            LOST_RACE.pause(attempt);
        }
        throw new IllegalStateException("series " + seriesUid + " keeps changing while being recounted");
    }

    /** Removes a series left empty by a store whose instances all conflicted, unless a store has recounted it since. */
    static void removeEmptySeries(Database d, String tenant, String seriesUid) {
        d.series.deleteOne(and(eq(ID, key(tenant, seriesUid)), eq(UPDATED_TIME, 0L), eq(VERSION, 0L)));
    }

    /**
     * Recounts a study from its series (number of series and instances, modalities and SOP classes), taking
     * its attributes and name tokens from {@code newest} if given (and creating it then). A study left
     * without series is removed.
     */
    static void refreshStudy(Database d, String tenant, String studyUid, InstanceRecord newest) {
        String id = key(tenant, studyUid);
        for (int attempt = 1; attempt <= LOST_RACE.attempts(); attempt++) {
            Document doc = d.studies.find(eq(ID, id)).projection(Projections.include(VERSION, UPDATED_TIME)).first();
            if (doc == null && newest == null) return;
            List<Document> series = d.series.find(and(eq(TENANT, tenant), eq(STUDY_UID, studyUid), gt(UPDATED_TIME, 0L)))
                    .projection(Projections.include(MODALITY, NUM_INSTANCES, SOP_CLASSES)).into(new ArrayList<>());
            raceWindow.run();
            if (series.isEmpty()) {
                if (doc == null || d.studies.deleteOne(and(eq(ID, id), eq(VERSION, version(doc)))).getDeletedCount() == 1) return;
                LOST_RACE.pause(attempt);
                continue;
            }
            int instances = 0;
            TreeSet<String> modalities = new TreeSet<>(), sopClasses = new TreeSet<>();
            for (Document s : series) {
                instances += s.get(NUM_INSTANCES, Number.class).intValue();
                if (s.getString(MODALITY) != null) modalities.add(s.getString(MODALITY));
                if (s.getString(SOP_CLASSES) != null) sopClasses.addAll(List.of(s.getString(SOP_CLASSES).split("\\\\")));
            }
            Document fields = new Document(NUM_SERIES, series.size())
                    .append(NUM_INSTANCES, instances)
                    .append(MODALITIES, new ArrayList<>(modalities))
                    .append(MODALITIES_TEXT, HeaderExtract.joined(modalities, 1024))
                    .append(SOP_CLASSES, HeaderExtract.joined(sopClasses, 4000))
                    .append(UPDATED_TIME, Math.max(doc == null ? 1 : doc.get(UPDATED_TIME, Number.class).longValue() + 1, IndexTime.nowMicros()))
                    .append(VERSION, doc == null ? 1L : version(doc) + 1);
            if (newest != null) fields.putAll(HeaderFields.study(newest));
            if (doc == null) {
                if (insertStudy(d, tenant, studyUid, fields)) return;
            } else if (d.studies.updateOne(and(eq(ID, id), eq(VERSION, version(doc))), new Document("$set", fields)).getMatchedCount() == 1) {
                return;
            }
            LOST_RACE.pause(attempt);
        }
        throw new IllegalStateException("study " + studyUid + " keeps changing while being recounted");
    }

    private static boolean insertStudy(Database d, String tenant, String studyUid, Document fields) {
        Document doc = new Document(ID, key(tenant, studyUid)).append(TENANT, tenant).append(STUDY_UID, studyUid);
        doc.putAll(fields);
        try {
            d.studies.insertOne(doc);
            return true;
        } catch (MongoException e) {
            if (Database.isDuplicateKey(e)) return false; // a concurrent store created it: recount again
            throw e;
        }
    }

    private static long version(Document doc) {
        return doc.get(VERSION, Number.class).longValue();
    }

    static String documentKey(Document seriesDoc) {
        Document m = seriesDoc.get(METADATA, Document.class);
        return m == null ? null : m.getString("document_key");
    }

    static boolean sameStudy(Document seriesDoc, String studyUid) {
        return Objects.equals(seriesDoc.getString(STUDY_UID), studyUid);
    }
}
