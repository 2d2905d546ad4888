package dev.stratus.index.sql;

import dev.stratus.codec.DataDictionary;
import dev.stratus.index.AttributeLevels;
import dev.stratus.index.PersonNames;
import dev.stratus.index.TenantId;
import dev.stratus.index.query.InvalidQueryException;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.Match;
import dev.stratus.index.query.OrderBy;
import dev.stratus.index.query.QidoQuery;
import dev.stratus.index.sql.SearchColumns.Column;
import dev.stratus.index.sql.SearchColumns.Kind;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Select;
import org.jooq.SelectJoinStep;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.List;

import static dev.stratus.index.sql.Tables.INSTANCE;
import static dev.stratus.index.sql.Tables.NAME_TOKEN;
import static dev.stratus.index.sql.Tables.SERIES;
import static dev.stratus.index.sql.Tables.STUDY;
import static dev.stratus.index.sql.Tables.STUDY_MODALITY;

/**
 * Turns a QidoQuery into one SELECT over study, series and instance (PS3.4 C.2.2.2 matching): the level's
 * table joined to its parents, so that a series or instance search can match study attributes.
 * Default order (when orderby is absent): study date and time, newest first; then series number; then
 * instance number; each ending on the UID so that paging with offset is stable.
 */
final class SqlSearch {
    /** The most results one search returns, whatever limit asks for. */
    static final int MAX_LIMIT = 10_000;
    private static final char ESCAPE = '!';

    /** The SELECT for a query, and the matching keys it ignored (not indexed, or of a level below the searched one). */
    record Plan(Select<Record> select, List<Integer> ignored, int limit) {}

    static Plan plan(DSLContext dsl, TenantId tenant, QidoQuery q) {
        Level level = q.level();
        List<Condition> where = new ArrayList<>();
        List<Integer> ignored = new ArrayList<>();
        where.add(tenantOf(level).eq(tenant.name()));
        boolean byModality = byStudyModality(q);
        if (byModality) where.add(STUDY_MODALITY.tenant.eq(tenant.name()));
        if (q.studyUid() != null) where.add(studyUidOf(level).eq(q.studyUid()));
        if (q.seriesUid() != null && level != Level.STUDY) where.add(seriesUidOf(level).eq(q.seriesUid()));
        for (Match m : q.matches()) {
            Condition c = byModality && m.tag() == AttributeLevels.MODALITIES_IN_STUDY
                    ? STUDY_MODALITY.modality.eq(((Match.SingleValue) m).value())
                    : condition(m, level, q.fuzzyMatching());
            if (c == null) {
                if (!ignored.contains(m.tag())) ignored.add(m.tag());
            } else {
                where.add(c);
            }
        }
        int limit = q.limit() <= 0 ? MAX_LIMIT : Math.min(q.limit(), MAX_LIMIT);
        Select<Record> select = from(dsl, level, byModality).where(where).orderBy(order(q, byModality)).limit(limit + 1).offset(Math.max(0, q.offset()));
        return new Plan(select, List.copyOf(ignored), limit);
    }

    /**
     * A study list by one modality in the default order reads study_modality, which holds the study's date, in the
     * order of its index (newest first): a hundred index rows instead of walking every study by date (issue 20).
     */
    private static boolean byStudyModality(QidoQuery q) {
        if (q.level() != Level.STUDY || !q.orderBy().isEmpty()) return false;
        List<Match> modality = q.matches().stream().filter(m -> m.tag() == AttributeLevels.MODALITIES_IN_STUDY).toList();
        return modality.size() == 1 && modality.getFirst() instanceof Match.SingleValue;
    }

    private static SelectJoinStep<Record> from(DSLContext dsl, Level level, boolean byModality) {
        List<Field<?>> fields = new ArrayList<>(List.of(STUDY.studyUid, STUDY.attrs, STUDY.numSeries, STUDY.numInstances,
                STUDY.modalities, STUDY.sopClasses));
        if (byModality) {
            return dsl.select(fields).from(STUDY_MODALITY.table.join(STUDY.table)
                    .on(STUDY.tenant.eq(STUDY_MODALITY.tenant), STUDY.studyUid.eq(STUDY_MODALITY.studyUid)));
        }
        if (level == Level.STUDY) return dsl.select(fields).from(STUDY.table);
        fields.addAll(List.of(SERIES.seriesUid, SERIES.attrs, SERIES.numInstances));
        Table<?> seriesAndStudy = SERIES.table.join(STUDY.table)
                .on(STUDY.tenant.eq(SERIES.tenant), STUDY.studyUid.eq(SERIES.studyUid));
        if (level == Level.SERIES) return dsl.select(fields).from(seriesAndStudy);
        fields.addAll(List.of(INSTANCE.sopInstanceUid, INSTANCE.sopClassUid, INSTANCE.attrs));
        return dsl.select(fields).from(INSTANCE.table
                .join(SERIES.table).on(SERIES.tenant.eq(INSTANCE.tenant), SERIES.seriesUid.eq(INSTANCE.seriesUid))
                .join(STUDY.table).on(STUDY.tenant.eq(INSTANCE.tenant), STUDY.studyUid.eq(INSTANCE.studyUid)));
    }

    private static Field<String> tenantOf(Level level) {
        return switch (level) {
            case STUDY -> STUDY.tenant;
            case SERIES -> SERIES.tenant;
            case INSTANCE -> INSTANCE.tenant;
        };
    }

    private static Field<String> studyUidOf(Level level) {
        return switch (level) {
            case STUDY -> STUDY.studyUid;
            case SERIES -> SERIES.studyUid;
            case INSTANCE -> INSTANCE.studyUid;
        };
    }

    private static Field<String> seriesUidOf(Level level) {
        return level == Level.SERIES ? SERIES.seriesUid : INSTANCE.seriesUid;
    }

    /** The condition for one matching key, or null if it cannot be matched at this level. */
    private static Condition condition(Match m, Level level, boolean fuzzy) {
        if (m.tag() == AttributeLevels.MODALITIES_IN_STUDY) return modalitiesInStudy(m);
        Column col = SearchColumns.matchable(m.tag());
        if (col == null || col.level().compareTo(level) > 0) return null;
        return switch (m) {
            case Match.SingleValue s -> single(col, m.tag(), s.value(), fuzzy);
            case Match.AnyOf a -> DSL.or(a.values().stream().map(v -> single(col, m.tag(), v, fuzzy)).toList());
            case Match.Wildcard w -> wildcard(col, m.tag(), w.pattern(), fuzzy);
            case Match.Range r -> range(col, m.tag(), r);
        };
    }

    @SuppressWarnings("unchecked")
    private static Condition single(Column col, int tag, String value, boolean fuzzy) {
        return switch (col.kind()) {
            case PERSON_NAME -> fuzzy ? fuzzyName(tag, value) : text(col).eq(PersonNames.upper(value));
            case INTEGER -> ((Field<Integer>) col.field()).eq(integer(tag, value));
            case TIME -> text(col).eq(value.replace(":", ""));
            default -> text(col).eq(value);
        };
    }

    private static Condition wildcard(Column col, int tag, String pattern, boolean fuzzy) {
        return switch (col.kind()) {
            case PERSON_NAME -> fuzzy ? fuzzyName(tag, pattern) : text(col).like(DSL.inline(likePattern(PersonNames.upper(pattern))), ESCAPE);
            case TEXT -> text(col).like(DSL.inline(likePattern(pattern)), ESCAPE);
            default -> throw new InvalidQueryException(DataDictionary.keywordOf(tag), "wild cards are not allowed for this attribute");
        };
    }

    private static Condition range(Column col, int tag, Match.Range r) {
        if (col.kind() != Kind.DATE && col.kind() != Kind.TIME) {
            throw new InvalidQueryException(DataDictionary.keywordOf(tag), "range matching applies to dates and times only");
        }
        Field<String> f = text(col);
        Condition c = f.isNotNull();
        if (r.from() != null) c = c.and(f.ge(col.kind() == Kind.TIME ? r.from().replace(":", "") : r.from()));
        // "1030" as upper bound includes 10:30:59.999: '~' sorts after every digit and '.'.
        if (r.to() != null) c = c.and(f.le(col.kind() == Kind.TIME ? r.to().replace(":", "") + "~" : r.to()));
        return c;
    }

    // Fuzzy (PS3.4 C.2.2.2.1.1): every word of the query starts a word of the name, accents and case ignored.
    private static Condition fuzzyName(int tag, String value) {
        List<String> words = PersonNames.queryWords(value);
        if (words.isEmpty()) return DSL.trueCondition();
        List<Condition> all = new ArrayList<>();
        for (String w : words) {
            all.add(DSL.exists(DSL.selectOne().from(NAME_TOKEN.table).where(
                    NAME_TOKEN.tenant.eq(STUDY.tenant), NAME_TOKEN.studyUid.eq(STUDY.studyUid),
                    NAME_TOKEN.attributeTag.eq(DSL.inline(tag)),
                    NAME_TOKEN.token.like(DSL.inline(escapeLike(w) + "%"), ESCAPE))));
        }
        return DSL.and(all);
    }

    // A study matches ModalitiesInStudy when one of its series has one of the modalities.
    private static Condition modalitiesInStudy(Match m) {
        Table<?> ms = SERIES.table.as("ms");
        Field<String> msTenant = DSL.field(DSL.name("ms", "tenant"), String.class);
        Field<String> msStudy = DSL.field(DSL.name("ms", "study_uid"), String.class);
        Field<String> msModality = DSL.field(DSL.name("ms", "modality"), String.class);
        Condition modality = switch (m) {
            case Match.SingleValue s -> msModality.eq(s.value());
            case Match.AnyOf a -> msModality.in(a.values());
            case Match.Wildcard w -> msModality.like(DSL.inline(likePattern(w.pattern())), ESCAPE);
            case Match.Range r -> throw new InvalidQueryException("ModalitiesInStudy", "range matching applies to dates and times only");
        };
        return DSL.exists(DSL.selectOne().from(ms)
                .where(msTenant.eq(STUDY.tenant), msStudy.eq(STUDY.studyUid), modality));
    }

    private static List<SortField<?>> order(QidoQuery q, boolean byModality) {
        if (byModality) {
            return List.of(STUDY_MODALITY.studyDate.desc().nullsLast(), STUDY_MODALITY.studyTime.desc().nullsLast(),
                    STUDY_MODALITY.studyUid.asc());
        }
        List<SortField<?>> sort = new ArrayList<>();
        for (OrderBy o : q.orderBy()) {
            Column col = SearchColumns.sortable(o.tag());
            String keyword = DataDictionary.keywordOf(o.tag());
            if (col == null) throw new InvalidQueryException("orderby", "cannot sort by " + keyword);
            if (col.level().compareTo(q.level()) > 0) {
                throw new InvalidQueryException("orderby", keyword + " is not an attribute of a " + q.level().name().toLowerCase());
            }
            sort.add((o.descending() ? col.field().desc() : col.field().asc()).nullsLast());
        }
        boolean byDefault = q.orderBy().isEmpty();
        if (byDefault && (q.level() == Level.STUDY || q.studyUid() == null)) {
            sort.add(STUDY.studyDate.desc().nullsLast());
            sort.add(STUDY.studyTime.desc().nullsLast());
        }
        sort.add(STUDY.studyUid.asc());
        if (q.level() != Level.STUDY) {
            if (byDefault && q.seriesUid() == null) sort.add(SERIES.seriesNumber.asc().nullsLast());
            sort.add(SERIES.seriesUid.asc());
        }
        if (q.level() == Level.INSTANCE) {
            if (byDefault) sort.add(INSTANCE.instanceNumber.asc().nullsLast());
            sort.add(INSTANCE.sopInstanceUid.asc());
        }
        return sort;
    }

    @SuppressWarnings("unchecked")
    private static Field<String> text(Column col) {
        return (Field<String>) col.field();
    }

    private static int integer(int tag, String value) {
        try {
            return Integer.parseInt(value.strip().startsWith("+") ? value.strip().substring(1) : value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidQueryException(DataDictionary.keywordOf(tag), "not an integer: " + value);
        }
    }

    /** '*' and '?' become '%' and '_'; LIKE's own metacharacters in the value are escaped. */
    static String likePattern(String wildcard) {
        StringBuilder b = new StringBuilder(wildcard.length() + 4);
        for (char c : wildcard.toCharArray()) {
            switch (c) {
                case '*' -> b.append('%');
                case '?' -> b.append('_');
                case '%', '_', ESCAPE -> b.append(ESCAPE).append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String escapeLike(String s) {
        return likePattern(s.replace("*", "").replace("?", ""));
    }
}
