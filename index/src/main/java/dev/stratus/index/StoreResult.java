package dev.stratus.index;

import java.util.List;

/**
 * Outcome of a batch upsert: instances whose earlier copy was replaced (delete the old blob after commit)
 * and instances that were refused because their UIDs conflict with what is stored (e.g. an existing
 * SOP Instance UID in another series).
 */
public record StoreResult(List<Replaced> replaced, List<Conflict> conflicts) {
    /** {@code oldBlobKey}: where the replaced copy's bytes live; never the key of the new copy. */
    public record Replaced(String sopInstanceUid, String oldBlobKey) {}

    public record Conflict(String sopInstanceUid, String reason) {}

    public List<String> replacedBlobKeys() {
        return replaced.stream().map(Replaced::oldBlobKey).toList();
    }
}
