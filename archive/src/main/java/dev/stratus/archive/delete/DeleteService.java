package dev.stratus.archive.delete;

import dev.stratus.archive.metadata.RenderedMetadata;
import dev.stratus.index.DeleteResult;
import dev.stratus.index.Index;
import dev.stratus.index.TenantId;
import dev.stratus.pipeline.ArchiveEvent;
import dev.stratus.pipeline.EventBus;
import dev.stratus.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Deletes studies, series and instances: the index first (so nothing deleted is ever served), then the
 * blobs and metadata documents. A crash between the two leaves unreferenced blobs, never dangling rows.
 */
public final class DeleteService {
    private static final Logger log = LoggerFactory.getLogger(DeleteService.class);

    private final Index index;
    private final BlobStore store;
    private final EventBus events;
    private final RenderedMetadata rendered;

    public DeleteService(Index index, BlobStore store, EventBus events, RenderedMetadata rendered) {
        this.index = index;
        this.store = store;
        this.events = events;
        this.rendered = rendered;
    }

    /** Returns false when nothing matched. */
    public boolean delete(TenantId tenant, String study, String series, String sop) {
        DeleteResult r = index.delete(tenant, study, series, sop);
        if (!r.found()) return false;
        for (String key : r.blobKeys()) {
            rendered.forget(key);
            deleteQuietly(key);
        }
        for (String key : r.metadataDocumentKeys()) deleteQuietly(key);
        events.publish(new ArchiveEvent.Deleted(tenant, study, series, sop));
        return true;
    }

    private void deleteQuietly(String key) {
        try {
            store.delete(key);
        } catch (IOException e) {
            log.warn("could not delete blob {} after deleting its index rows (left as an orphan): {}", key, e.toString());
        }
    }
}
