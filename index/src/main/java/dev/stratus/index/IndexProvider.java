package dev.stratus.index;

/** An Index implemented in another module (e.g. MongoDB), found through META-INF/services. */
public interface IndexProvider {
    boolean accepts(String url);

    /** @param outbox write an {@link OutboxEvent} with every committed store and delete */
    Index open(String url, String user, String password, boolean migrate, boolean outbox);
}
