package dev.stratus.app.tools;

/** What became of one instance offered by {@code stratus import}. */
sealed interface ImportOutcome {
    /** Stored; {@code replaced}: an instance with its SOP Instance UID was there before (known only when importing directly). */
    record Stored(boolean replaced) implements ImportOutcome {}

    /** Not sent: the archive holds its SOP Instance UID already (a resumed import). */
    record AlreadyStored() implements ImportOutcome {}

    /** The archive refused it, or it could not be read or sent; {@code reason} in words. */
    record Refused(String reason) implements ImportOutcome {}
}
