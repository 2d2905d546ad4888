package dev.stratus.index.mongodb;

import dev.stratus.index.Index;
import dev.stratus.index.IndexProvider;

/** Lets IndexFactory open mongodb:// and mongodb+srv:// URLs. */
public final class MongoIndexProvider implements IndexProvider {
    @Override
    public boolean accepts(String url) {
        return url.startsWith("mongodb://") || url.startsWith("mongodb+srv://");
    }

    @Override
    public Index open(String url, String user, String password, boolean migrate, boolean outbox) {
        return MongoIndex.open(url, user, password, migrate, outbox);
    }
}
