package dev.stratus.index.sql;

import org.jooq.DSLContext;
import org.jooq.Query;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The SQL of small statements whose shape never changes, rendered once per dialect and then run as plain SQL with
 * their bind values: jOOQ's rendering of such a SELECT cost more than SQLite's running of it (profile of 10,000
 * C-STOREs: a fifth of the store's CPU went to rendering the same few statements again).
 */
final class FixedSql {
    private static final ConcurrentHashMap<String, String> RENDERED = new ConcurrentHashMap<>();

    private FixedSql() {}

    /** The SQL of {@code shape} (built with {@code DSL.param} placeholders) in {@code tx}'s dialect, rendered on first use. */
    static String of(DSLContext tx, String name, Supplier<? extends Query> shape) {
        return RENDERED.computeIfAbsent(name + '/' + tx.dialect(), k -> shape.get().getSQL());
    }
}
