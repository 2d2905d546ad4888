package dev.stratus.archive.ingest;

import dev.stratus.archive.metadata.RenderedMetadata;
import dev.stratus.index.InstanceRecord;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.SpooledFile;

/**
 * One part of an {@link IngestBatch}, in the state the store path has brought it to: Received, then Decided (refused)
 * or Accepted; an accepted one is Placed, then Decided by the commit. Only a Decided item holds nothing on disk.
 */
sealed interface BatchItem {
    /** Spooled, not yet examined. */
    record Received(SpooledFile file) implements BatchItem {}

    /** Settled: refused at some step, or stored and indexed. Its outcome is the instance's answer. */
    record Decided(IngestOutcome outcome) implements BatchItem {}

    /** A valid instance waiting for the batch's commit. */
    sealed interface Pending extends BatchItem {
        Instance instance();
    }

    /** Examined and valid, still in the spool. */
    record Accepted(Instance instance) implements Pending {}

    /** Moved into the blob store under its fresh key, its flush perhaps still running. */
    record Placed(Instance instance, BlobStore.Placement placement) implements Pending {}

    /**
     * A valid instance: its spool file, the record that will index it, the warning it is stored with (or null), and
     * its metadata JSON, kept once it is indexed (or null).
     */
    record Instance(SpooledFile file, InstanceRecord record, String warning, RenderedMetadata.Rendering metadata) {
        IngestOutcome.Stored stored(boolean replaced) {
            return new IngestOutcome.Stored(record.studyUid(), record.seriesUid(), record.sopClassUid(), record.sopInstanceUid(),
                    record.transferSyntaxUid(), replaced, warning == null ? null : FailureReason.WARNING_DATA_SET_DOES_NOT_MATCH, warning);
        }

        IngestOutcome.Failed failed(int reason, String message) {
            return new IngestOutcome.Failed(record.sopClassUid(), record.sopInstanceUid(), reason, message);
        }
    }
}
