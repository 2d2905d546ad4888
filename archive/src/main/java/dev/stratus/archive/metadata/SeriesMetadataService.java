package dev.stratus.archive.metadata;

import dev.stratus.archive.retrieve.NotFoundException;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.index.Index;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.TenantId;
import dev.stratus.storage.BlobNotFoundException;
import dev.stratus.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Predicate;

/**
 * WADO-RS series metadata: the precomputed document when it was built from the series as it is now
 * (one read), otherwise built live from the instances, so an acknowledged instance is never missing.
 */
public final class SeriesMetadataService implements SeriesDocumentBuilder {
    private final Index index;
    private final BlobStore store;
    private final RetrieveService retrieve;
    private final MetadataDocuments documents;
    private final Predicate<TenantId> numbersAsStrings;

    public SeriesMetadataService(Index index, BlobStore store, RetrieveService retrieve, Predicate<TenantId> numbersAsStrings) {
        this.index = index;
        this.store = store;
        this.retrieve = retrieve;
        this.documents = new MetadataDocuments(retrieve);
        this.numbersAsStrings = numbersAsStrings;
    }

    /** The series' state (for ETags), or NotFoundException. */
    public SeriesState state(TenantId tenant, String study, String series) {
        SeriesState s = index.seriesState(new SeriesRef(tenant, study, series)).orElseThrow(() ->
                new NotFoundException("no series " + series + " in study " + study));
        if (s.instanceCount() == 0) throw new NotFoundException("no series " + series + " in study " + study);
        return s;
    }

    /** Writes the series metadata; returns true when it came from the precomputed document. */
    public boolean write(SeriesState state, String base, OutputStream out) throws IOException {
        SeriesRef ref = state.series();
        if (state.metadataIsCurrent()) {
            try (InputStream doc = store.open(state.metadataDocumentKey())) {
                doc.transferTo(new BaseUriInserter(out, base));
                return true;
            } catch (BlobNotFoundException replacedMeanwhile) {
                // a newer document replaced it between the state read and the open: answer live
            }
        }
        documents.write(retrieve.find(ref.tenant(), ref.studyUid(), ref.seriesUid(), null), base,
                numbersAsStrings.test(ref.tenant()), out);
        return false;
    }

    /** The document the worker stores: the same JSON with BulkDataURIs relative to the DICOMweb root. */
    @Override
    public void write(SeriesRef series, OutputStream out) throws IOException {
        documents.write(retrieve.find(series.tenant(), series.studyUid(), series.seriesUid(), null), "",
                numbersAsStrings.test(series.tenant()), out);
    }

    public MetadataDocuments documents() { return documents; }
}
