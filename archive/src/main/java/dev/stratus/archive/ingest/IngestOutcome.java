package dev.stratus.archive.ingest;

/** What became of one instance offered for storage. */
public sealed interface IngestOutcome {
    String sopClassUid();

    String sopInstanceUid();

    /** Durable and indexed. {@code replaced}: an earlier copy with the same UID was replaced. */
    record Stored(String studyUid, String seriesUid, String sopClassUid, String sopInstanceUid,
                  String transferSyntaxUid, boolean replaced, Integer warningReason, String warning) implements IngestOutcome {
        Stored asReplacement() {
            return new Stored(studyUid, seriesUid, sopClassUid, sopInstanceUid, transferSyntaxUid, true, warningReason, warning);
        }
    }

    /** Not stored; {@code reason} is a FailureReason code, {@code message} says why in words. UIDs may be null. */
    record Failed(String sopClassUid, String sopInstanceUid, int reason, String message) implements IngestOutcome {}
}
