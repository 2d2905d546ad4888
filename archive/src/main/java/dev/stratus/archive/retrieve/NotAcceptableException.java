package dev.stratus.archive.retrieve;

/** The object exists but cannot be represented as asked, e.g. in an unsupported transfer syntax (HTTP 406). */
public class NotAcceptableException extends RuntimeException {
    public NotAcceptableException(String message) {
        super(message);
    }
}
