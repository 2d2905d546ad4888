package dev.stratus.index;

import java.util.List;

/** What a delete removed from the index: the instances' blob keys and metadata document keys, to remove from storage. */
public record DeleteResult(int instancesDeleted, List<String> blobKeys, List<String> metadataDocumentKeys) {
    public boolean found() { return instancesDeleted > 0; }
}
