package dev.stratus.app.tools;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Where {@code stratus import} stores: a running server over STOW-RS ({@link StowTarget}), or the archive itself ({@link ArchiveTarget}). */
sealed interface ImportTarget extends AutoCloseable permits StowTarget, ArchiveTarget {
    /** An item to store, with the SOP Instance UID its meta header names (null if none). */
    record Candidate(ImportItem item, String sopInstanceUid) {}

    /** Which of these SOP Instance UIDs the archive holds already. */
    Set<String> alreadyStored(Collection<String> sopInstanceUids) throws IOException, InterruptedException;

    /** Stores the batch; one outcome per candidate, in order. Throws only when the target itself fails (unreachable, refused access). */
    List<ImportOutcome> store(List<Candidate> batch) throws IOException, InterruptedException;

    /** Where it stores, for the first line of the output. */
    String describe();

    @Override
    void close();
}
