package dev.stratus.index;

import java.util.List;

/**
 * Outcome of a batch upsert: blob keys of instances that were replaced (delete them after commit) and
 * instances that were refused because their UIDs conflict with what is stored (e.g. an existing
 * SOP Instance UID in another series).
 */
public record StoreResult(List<String> replacedBlobKeys, List<Conflict> conflicts) {
    public record Conflict(String sopInstanceUid, String reason) {}
}
