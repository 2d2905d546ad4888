package dev.stratus.archive.retrieve;

/** The requested study, series, instance or frame does not exist for this tenant (HTTP 404). */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
