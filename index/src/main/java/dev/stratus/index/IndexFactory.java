package dev.stratus.index;

import dev.stratus.index.sql.SqlIndex;

/** Opens the index an URL names: the SQL databases here, others (MongoDB) through IndexProvider. */
public final class IndexFactory {
    private IndexFactory() {}

    /**
     * @param url      jdbc:sqlite:, jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb: or mongodb:// (with stratus-index-mongodb)
     * @param migrate  create or upgrade the schema before use
     */
    public static Index open(String url, String user, String password, boolean migrate) {
        return open(url, user, password, migrate, false);
    }

    /** As above; with {@code outbox}, every committed store and delete also writes an {@link OutboxEvent} (for Kafka). */
    public static Index open(String url, String user, String password, boolean migrate, boolean outbox) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("no index URL given");
        for (IndexProvider p : java.util.ServiceLoader.load(IndexProvider.class)) {
            if (p.accepts(url)) return p.open(url, user, password, migrate, outbox);
        }
        if (url.startsWith("mongodb://") || url.startsWith("mongodb+srv://")) {
            throw new UnsupportedOperationException("a MongoDB index needs stratus-index-mongodb on the class path (it is in the stratus executable)");
        }
        if (url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:mysql:")
                || url.startsWith("jdbc:mariadb:")) {
            return SqlIndex.open(url, user, password, migrate, outbox);
        }
        throw new IllegalArgumentException("unsupported index URL (expected jdbc:sqlite:, jdbc:postgresql:, jdbc:mysql:, "
                + "jdbc:mariadb: or mongodb://): " + url);
    }
}
