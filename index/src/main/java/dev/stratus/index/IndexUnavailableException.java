package dev.stratus.index;

/** The index database cannot be reached or failed; callers answer 503 (HTTP) or A700-class statuses (DIMSE). */
public class IndexUnavailableException extends RuntimeException {
    public IndexUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
