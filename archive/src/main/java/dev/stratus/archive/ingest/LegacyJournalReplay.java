package dev.stratus.archive.ingest;

import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.ParseBudget;
import dev.stratus.index.Index;
import dev.stratus.index.InstanceRecord;
import dev.stratus.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Indexes again the instances an ingest journal page of the H2 era recorded ({@link LegacyH2Upgrade}): their blobs
 * are in storage already, under the keys recorded, so they are read from there and examined as at ingest, then
 * committed like a batch. Re-indexing a store that did reach the index is a repeat, which changes nothing.
 */
final class LegacyJournalReplay {
    private static final Logger log = LoggerFactory.getLogger(LegacyJournalReplay.class);

    private final Index index;
    private final BlobStore store;

    LegacyJournalReplay(Index index, BlobStore store) {
        this.index = index;
        this.store = store;
    }

    /**
     * Indexes one page's entries, durably; pages are replayed oldest first. An entry whose blob is missing or shorter
     * than recorded is skipped: its batch failed or the process stopped before its flush ended (never acknowledged),
     * or a later store or delete removed the blob. Returns how many instances were indexed again.
     */
    int replay(List<LegacyIngestJournal.Entry> entries) throws IOException {
        List<InstanceRecord> records = new ArrayList<>();
        for (LegacyIngestJournal.Entry e : entries) {
            InstanceRecord r = storedRecord(e);
            if (r != null) records.add(r);
        }
        int indexed = 0;
        for (IndexCommit.Verdict v : IndexCommit.verdicts(store, records, index.store(records))) {
            if (v instanceof IndexCommit.Verdict.Indexed) indexed++;
        }
        return indexed;
    }

    /** The index record of a journal entry's blob, or null when the blob is not the complete, valid object recorded. */
    private InstanceRecord storedRecord(LegacyIngestJournal.Entry e) throws IOException {
        long size = store.size(e.blobKey());
        if (size != e.size()) {
            log.info("ingest journal: {} is {} (recorded {} bytes): not acknowledged, or replaced or deleted since; skipped",
                    e.blobKey(), size < 0 ? "missing" : size + " bytes", e.size());
            return null;
        }
        Examination examined;
        try (InputStream in = store.open(e.blobKey())) {
            // accepted within some configured budget, which MAXIMUM bounds: never refuse an acknowledged instance here
            DicomFile parsed = new DicomReader(in, size).readFile(Examination.reading(ParseBudget.MAXIMUM));
            examined = Examination.of(parsed, null);
        } catch (DicomParseException ex) {
            examined = new Examination.Refused(new IngestOutcome.Failed(null, null, FailureReason.CANNOT_UNDERSTAND, ex.getMessage()));
        }
        if (examined instanceof Examination.Valid v && v.part10()) return v.record(e.tenant(), e.blobKey(), size, v.transferSyntax());
        String why = examined instanceof Examination.Refused r ? r.failure().message() : "the stored object is not a Part 10 file";
        log.warn("ingest journal: {} cannot be indexed again ({}): skipped", e.blobKey(), why);
        return null;
    }
}
