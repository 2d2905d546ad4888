package dev.stratus.index;

/** An Index implemented in another module (e.g. MongoDB), found through META-INF/services. */
public interface IndexProvider {
    boolean accepts(String url);

    Index open(String url, String user, String password, boolean migrate);
}
