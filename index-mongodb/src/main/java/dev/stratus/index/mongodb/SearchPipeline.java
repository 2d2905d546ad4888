package dev.stratus.index.mongodb;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import dev.stratus.codec.DataDictionary;
import dev.stratus.index.TenantId;
import dev.stratus.index.mongodb.QueryFields.Field;
import dev.stratus.index.mongodb.SearchFilters.Key;
import dev.stratus.index.query.InvalidQueryException;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.Match;
import dev.stratus.index.query.OrderBy;
import dev.stratus.index.query.QidoQuery;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static dev.stratus.index.mongodb.Fields.*;

/**
 * Turns a QidoQuery into one aggregation on the searched level's collection, its parents joined with
 * $lookup as "series" and "study" so that a series or instance search can match study attributes. Keys
 * on a parent are first resolved to at most 1000 parent keys, so that the matched collection is read by
 * index rather than joined in full. Default order (when orderby is absent), as the SQL index: study date
 * and time, newest first; then series number; then instance number; each ending on the UID.
 */
final class SearchPipeline {
    /** The most results one search returns, whatever limit asks for. */
    static final int MAX_LIMIT = 10_000;
    /** Parent keys resolved before the join; beyond this, parents are matched after it. */
    static final int MAX_RESOLVED_PARENTS = 1000;

    /** The aggregation, the collection it runs on, and the matching keys ignored (not indexed, or below the searched level). */
    record Plan(MongoCollection<Document> collection, List<Bson> pipeline, List<Integer> ignored, int limit) {}

    static Plan plan(Database d, TenantId tenant, QidoQuery q) {
        Level level = q.level();
        String t = tenant.name();
        List<Integer> ignored = new ArrayList<>();
        Map<Level, List<Key>> keys = new EnumMap<>(Level.class);
        for (Match m : q.matches()) {
            Key k = key(m, level);
            if (k == null) {
                if (!ignored.contains(m.tag())) ignored.add(m.tag());
                continue;
            }
            SearchFilters.filter(k, "", q.fuzzyMatching()); // refuses what cannot be matched, in the order given
            Level at = k.field() == null ? Level.STUDY : k.field().everywhere() ? level : k.field().level();
            keys.computeIfAbsent(at, l -> new ArrayList<>()).add(k);
        }
        Document sort = new Document(), absentLast = new Document();
        order(q, sort, absentLast);
        int limit = q.limit() <= 0 ? MAX_LIMIT : Math.min(q.limit(), MAX_LIMIT);

        List<Bson> match = new ArrayList<>(List.of(eq(TENANT, t)));
        if (q.studyUid() != null) match.add(eq(STUDY_UID, q.studyUid()));
        if (q.seriesUid() != null && level != Level.STUDY) match.add(eq(SERIES_UID, q.seriesUid()));
        if (level == Level.SERIES) match.add(Filters.gt(UPDATED_TIME, 0L)); // not a series being created
        match.addAll(filters(keys.get(level), "", q.fuzzyMatching()));
        if (level != Level.STUDY && keys.containsKey(Level.STUDY)) {
            resolveParents(d.studies, STUDY_KEY, scope(t, q, Level.STUDY), keys.get(Level.STUDY), q.fuzzyMatching(), match);
        }
        if (level == Level.INSTANCE && keys.containsKey(Level.SERIES)) {
            resolveParents(d.series, SERIES_KEY, scope(t, q, Level.SERIES), keys.get(Level.SERIES), q.fuzzyMatching(), match);
        }

        List<Bson> pipeline = new ArrayList<>();
        pipeline.add(Aggregates.match(and(match)));
        if (level == Level.INSTANCE) {
            pipeline.add(Aggregates.lookup(d.series.getNamespace().getCollectionName(), SERIES_KEY, ID, "series"));
            pipeline.add(Aggregates.unwind("$series"));
            List<Bson> onSeries = new ArrayList<>(List.of(Filters.gt("series." + UPDATED_TIME, 0L)));
            onSeries.addAll(filters(keys.get(Level.SERIES), "series.", q.fuzzyMatching()));
            pipeline.add(Aggregates.match(and(onSeries)));
        }
        if (level != Level.STUDY) {
            pipeline.add(Aggregates.lookup(d.studies.getNamespace().getCollectionName(), STUDY_KEY, ID, "study"));
            pipeline.add(Aggregates.unwind("$study"));
            List<Bson> onStudy = filters(keys.get(Level.STUDY), "study.", q.fuzzyMatching());
            if (!onStudy.isEmpty()) pipeline.add(Aggregates.match(and(onStudy)));
        }
        if (!absentLast.isEmpty()) pipeline.add(new Document("$addFields", absentLast));
        pipeline.add(Aggregates.sort(sort));
        if (q.offset() > 0) pipeline.add(Aggregates.skip(q.offset()));
        pipeline.add(Aggregates.limit(limit + 1));
        MongoCollection<Document> collection = switch (level) {
            case STUDY -> d.studies;
            case SERIES -> d.series;
            case INSTANCE -> d.instances;
        };
        return new Plan(collection, pipeline, List.copyOf(ignored), limit);
    }

    /** The key for one match, or null if it cannot be matched at this level. */
    private static Key key(Match m, Level level) {
        if (SearchFilters.isModalitiesInStudy(m)) return new Key(m, null);
        Field f = QueryFields.matchable(m.tag());
        if (f == null || f.level().compareTo(level) > 0) return null;
        return new Key(m, f);
    }

    private static List<Bson> filters(List<Key> keys, String prefix, boolean fuzzy) {
        List<Bson> out = new ArrayList<>();
        if (keys == null) return out;
        for (Key k : keys) {
            Bson f = SearchFilters.filter(k, prefix, fuzzy);
            if (f != SearchFilters.ANY) out.add(f);
        }
        return out;
    }

    /** The URL's scope as it applies to a parent collection. */
    private static List<Bson> scope(String tenant, QidoQuery q, Level parent) {
        List<Bson> s = new ArrayList<>(List.of(eq(TENANT, tenant)));
        if (q.studyUid() != null) s.add(eq(STUDY_UID, q.studyUid()));
        if (parent == Level.SERIES) {
            if (q.seriesUid() != null) s.add(eq(SERIES_UID, q.seriesUid()));
            s.add(Filters.gt(UPDATED_TIME, 0L));
        }
        return s;
    }

    // A semi-join ahead of the $lookup: the parents' own indexes find them, then the children are read by key.
    private static void resolveParents(MongoCollection<Document> parents, String keyField, List<Bson> scope, List<Key> keys,
                                       boolean fuzzy, List<Bson> match) {
        List<Bson> filter = new ArrayList<>(scope);
        filter.addAll(filters(keys, "", fuzzy));
        List<Object> found = parents.find(and(filter)).projection(Projections.include(ID)).limit(MAX_RESOLVED_PARENTS + 1)
                .map(doc -> doc.get(ID)).into(new ArrayList<>());
        if (found.size() <= MAX_RESOLVED_PARENTS) match.add(Filters.in(keyField, found));
    }

    private static void order(QidoQuery q, Document sort, Document absentLast) {
        Level level = q.level();
        for (OrderBy o : q.orderBy()) {
            Field f = QueryFields.sortable(o.tag());
            String keyword = DataDictionary.keywordOf(o.tag());
            if (f == null) throw new InvalidQueryException("orderby", "cannot sort by " + keyword);
            if (f.level().compareTo(level) > 0) {
                throw new InvalidQueryException("orderby", keyword + " is not an attribute of a " + level.name().toLowerCase(Locale.ROOT));
            }
            String path = f.path(level);
            if (o.descending() || !f.nullable()) {
                sort.putIfAbsent(path, o.descending() ? -1 : 1); // descending puts absent values last, as NULLS LAST does
            } else if (f.order() != null) {
                sort.putIfAbsent(f.path(level, f.order()), 1);
            } else if (!sort.containsKey(path)) {
                // Ascending would put absent values first: sort on "is absent" before the value.
                String flag = "_absent_" + absentLast.size();
                absentLast.put(flag, new Document("$cond", List.of(
                        new Document("$eq", Arrays.asList(new Document("$ifNull", Arrays.asList("$" + path, null)), null)), 1, 0)));
                sort.put(flag, 1);
                sort.put(path, 1);
            }
        }
        boolean byDefault = q.orderBy().isEmpty();
        if (byDefault && (level == Level.STUDY || q.studyUid() == null)) {
            String prefix = level == Level.STUDY ? "" : "study.";
            sort.putIfAbsent(prefix + STUDY_DATE, -1);
            sort.putIfAbsent(prefix + STUDY_TIME, -1);
        }
        sort.putIfAbsent(STUDY_UID, 1);
        if (level != Level.STUDY) {
            if (byDefault && q.seriesUid() == null) sort.putIfAbsent(level == Level.SERIES ? SERIES_ORDER : "series." + SERIES_ORDER, 1);
            sort.putIfAbsent(SERIES_UID, 1);
        }
        if (level == Level.INSTANCE) {
            if (byDefault) sort.putIfAbsent(INSTANCE_ORDER, 1);
            sort.putIfAbsent(SOP_INSTANCE_UID, 1);
        }
    }
}
