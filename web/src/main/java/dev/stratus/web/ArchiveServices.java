package dev.stratus.web;

import dev.stratus.archive.Liveness;
import dev.stratus.archive.delete.DeleteService;
import dev.stratus.archive.ingest.IngestService;
import dev.stratus.archive.metadata.SeriesMetadataService;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.index.Index;
import dev.stratus.storage.BlobStore;

/** The archive services the HTTP layer delegates to, and the process's liveness (/health/live). */
public record ArchiveServices(Index index, BlobStore store, IngestService ingest, RetrieveService retrieve,
                              DeleteService delete, SeriesMetadataService seriesMetadata, Liveness liveness) {
    /** With a liveness of its own that watches the index. */
    public ArchiveServices(Index index, BlobStore store, IngestService ingest, RetrieveService retrieve,
                           DeleteService delete, SeriesMetadataService seriesMetadata) {
        this(index, store, ingest, retrieve, delete, seriesMetadata, new Liveness(index));
    }
}
