package dev.stratus.index;

/**
 * The index database could not write because its storage is full (SQLite's SQLITE_FULL, PostgreSQL's 53100
 * disk_full, MySQL's 1021/1114). Nothing of the failed transaction was committed; freeing space lets it work again.
 */
public class IndexFullException extends IndexUnavailableException {
    public IndexFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
