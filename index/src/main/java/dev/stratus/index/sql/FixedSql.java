package dev.stratus.index.sql;

import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The SQL of small statements whose shape never changes, rendered once per dialect and then run as plain SQL with
 * their bind values: jOOQ's rendering of such a SELECT cost more than SQLite's running of it (profile of 10,000
 * C-STOREs: a fifth of the store's CPU went to rendering the same few statements again).
 */
final class FixedSql {
    private static final ConcurrentHashMap<String, String> RENDERED = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Shape> SHAPES = new ConcurrentHashMap<>();

    /** A rendered statement and the types of its bind values, in order. */
    private record Shape(String sql, List<DataType<?>> types) {}

    private FixedSql() {}

    /** The SQL of {@code shape} (built with {@code DSL.param} placeholders) in {@code tx}'s dialect, rendered on first use. */
    static String of(DSLContext tx, String name, Supplier<? extends Query> shape) {
        return RENDERED.computeIfAbsent(name + '/' + tx.dialect(), k -> shape.get().getSQL());
    }

    /**
     * The rows of the SELECT {@code sql} (from {@link #of}) with {@code values} bound in order (strings here), each row the
     * values of {@code fields} in order: on SQLite read straight through JDBC, elsewhere through jOOQ.
     */
    static List<Object[]> rows(DSLContext tx, String sql, Field<?>[] fields, Object... values) {
        if (tx.dialect().family() != SQLDialect.SQLITE) {
            List<Object[]> rows = new ArrayList<>();
            for (org.jooq.Record r : tx.resultQuery(sql, values).coerce(fields).fetch()) rows.add(r.intoArray());
            return rows;
        }
        Connection c = tx.configuration().connectionProvider().acquire();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) st.setObject(i + 1, values[i]);
            List<Object[]> rows = new ArrayList<>(4);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[fields.length];
                    for (int i = 0; i < fields.length; i++) row[i] = read(rs, i + 1, fields[i].getType());
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new DataAccessException("SQL [" + sql + "]; " + e.getMessage(), e);
        } finally {
            tx.configuration().connectionProvider().release(c);
        }
    }

    private static Object read(ResultSet rs, int column, Class<?> type) throws SQLException {
        Object v;
        if (type == String.class) return rs.getString(column);
        else if (type == Long.class) v = rs.getLong(column);
        else if (type == Integer.class) v = rs.getInt(column);
        else if (type == byte[].class) return rs.getBytes(column);
        else throw new IllegalArgumentException("no reading of " + type + " here");
        return rs.wasNull() ? null : v;
    }

    /** A typed placeholder for each of {@code fields}, for the shape of {@link #execute}. */
    static List<Field<?>> placeholders(List<? extends Field<?>> fields) {
        List<Field<?>> p = new ArrayList<>(fields.size());
        for (Field<?> f : fields) p.add(placeholder(f));
        return p;
    }

    /** A typed placeholder for a value of {@code field}. */
    static <T> Field<T> placeholder(Field<T> field) {
        return DSL.val(null, field);
    }

    /**
     * Runs the statement {@code shape} (built with typed placeholders, {@code DSL.val((T) null, field)}) with
     * {@code values} in the order of its placeholders; returns the rows changed. On SQLite straight through JDBC (the
     * store path of every C-STORE: jOOQ's building and binding cost more than SQLite's running), elsewhere through jOOQ
     * with each value bound as its placeholder's type.
     */
    static int execute(DSLContext tx, String name, Supplier<? extends Query> shape, Object... values) {
        Shape s = SHAPES.computeIfAbsent(name + '/' + tx.dialect(), k -> {
            Query q = shape.get();
            return new Shape(q.getSQL(), q.getParams().values().stream().<DataType<?>>map(Param::getDataType).toList());
        });
        if (s.types().size() != values.length) {
            throw new IllegalArgumentException(name + " takes " + s.types().size() + " values, not " + values.length);
        }
        if (tx.dialect().family() != SQLDialect.SQLITE) {
            Object[] typed = new Object[values.length];
            for (int i = 0; i < values.length; i++) typed[i] = DSL.val(values[i], s.types().get(i));
            return tx.execute(s.sql(), typed);
        }
        Connection c = tx.configuration().connectionProvider().acquire();
        try (PreparedStatement st = c.prepareStatement(s.sql())) {
            for (int i = 0; i < values.length; i++) st.setObject(i + 1, values[i]); // SQLite types values, not columns
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new DataAccessException("SQL [" + s.sql() + "]; " + e.getMessage(), e);
        } finally {
            tx.configuration().connectionProvider().release(c);
        }
    }
}
