package dev.stratus.index;

import dev.stratus.index.sql.SqlIndex;

/** Opens the index an URL names: the SQL databases now; MongoDB (mongodb://) is planned. */
public final class IndexFactory {
    private IndexFactory() {}

    /**
     * @param url      jdbc:h2:, jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb: (mongodb:// is not yet supported)
     * @param migrate  create or upgrade the schema before use
     */
    public static Index open(String url, String user, String password, boolean migrate) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("no index URL given");
        if (url.startsWith("mongodb://") || url.startsWith("mongodb+srv://")) {
            throw new UnsupportedOperationException("MongoDB index (" + url.substring(0, url.indexOf(':'))
                    + "://) is not yet supported: use jdbc:h2:, jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb:");
        }
        if (url.startsWith("jdbc:h2:") || url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:mysql:")
                || url.startsWith("jdbc:mariadb:")) {
            return SqlIndex.open(url, user, password, migrate);
        }
        throw new IllegalArgumentException("unsupported index URL (expected jdbc:h2:, jdbc:postgresql:, jdbc:mysql:, "
                + "jdbc:mariadb: or mongodb://): " + url);
    }
}
