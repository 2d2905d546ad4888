package dev.stratus.archive.metadata;

import dev.stratus.archive.retrieve.NotFoundException;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.index.Index;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.TenantId;
import dev.stratus.storage.BlobNotFoundException;
import dev.stratus.storage.BlobStore;

import dev.stratus.index.StoredInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        this(index, store, retrieve, numbersAsStrings, RenderedMetadata.NONE);
    }

    /** {@code rendered}: instances' JSON rendered at ingest, written instead of reading their headers back. */
    public SeriesMetadataService(Index index, BlobStore store, RetrieveService retrieve, Predicate<TenantId> numbersAsStrings,
                                 RenderedMetadata rendered) {
        this.index = index;
        this.store = store;
        this.retrieve = retrieve;
        this.documents = new MetadataDocuments(retrieve, rendered);
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
        // A newer document may replace the current one between the state read and the open: then answer live.
        if (state.metadataIsCurrent() && copyDocument(state, base, out)) return true;
        documents.write(retrieve.find(ref.tenant(), ref.studyUid(), ref.seriesUid(), null), base,
                numbersAsStrings.test(ref.tenant()), out);
        return false;
    }

    /**
     * Study metadata: the series' documents joined into one array where they are current (one read per
     * series), the other series built live; each streamed into the answer, none held whole (a series with large
     * text values is tens of MB of JSON).
     */
    public void writeStudy(TenantId tenant, String study, String base, OutputStream out) throws IOException {
        List<StoredInstance> all = retrieve.find(tenant, study, null, null);
        Map<String, List<StoredInstance>> bySeries = new LinkedHashMap<>();
        for (StoredInstance i : all) bySeries.computeIfAbsent(i.seriesUid(), k -> new ArrayList<>()).add(i);
        out.write('[');
        ArrayInside inside = new ArrayInside(out);
        for (Map.Entry<String, List<StoredInstance>> e : bySeries.entrySet()) {
            SeriesState state = index.seriesState(new SeriesRef(tenant, study, e.getKey())).orElse(null);
            inside.next();
            if (state == null || !state.metadataIsCurrent() || !copyDocument(state, base, inside)) { // gone before its first byte
                inside.next();
                documents.write(e.getValue(), base, numbersAsStrings.test(tenant), inside);
            }
        }
        out.write(']');
    }

    /**
     * Passes on the inside of each JSON array written to it ({@code [a,b]} gives {@code a,b}), with a comma between
     * non-empty ones: an array's first byte is its opening bracket, and its last one, held back until more follows,
     * its closing bracket.
     */
    private static final class ArrayInside extends OutputStream {
        private final OutputStream out;
        private boolean any, opened, started;
        private int held = -1;

        ArrayInside(OutputStream out) { this.out = out; }

        /** The next array begins. */
        void next() {
            opened = started = false;
            held = -1;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0 && !opened) {
                opened = true;
                off++;
                len--;
            }
            if (len <= 0) return;
            if (!started && (held >= 0 || len > 1)) { // this array's first byte inside goes out
                if (any) out.write(',');
                started = any = true;
            }
            if (held >= 0) out.write(held);
            out.write(b, off, len - 1);
            held = b[off + len - 1] & 0xFF;
        }

        @Override
        public void flush() throws IOException { out.flush(); }

        @Override
        public void close() throws IOException { flush(); }
    }

    private boolean copyDocument(SeriesState state, String base, OutputStream out) throws IOException {
        try (InputStream doc = store.open(state.metadataDocumentKey())) {
            BaseUriInserter.copy(doc, out, base);
            return true;
        } catch (BlobNotFoundException replacedMeanwhile) {
            return false;
        }
    }

    /**
     * The document the worker stores: the same JSON with BulkDataURIs relative to the DICOMweb root, its headers read
     * one at a time (the worker works in the background; a request waiting for its answer reads them a few at once).
     */
    @Override
    public void write(SeriesRef series, OutputStream out) throws IOException {
        documents.write(retrieve.find(series.tenant(), series.studyUid(), series.seriesUid(), null), "",
                numbersAsStrings.test(series.tenant()), out, 1);
    }

    public MetadataDocuments documents() { return documents; }
}
