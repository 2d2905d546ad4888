package dev.stratus.archive.metadata;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.codec.BulkDataSource;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.ParseBudget;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.json.DicomJsonException;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Predicate;

/**
 * Each newly stored instance's metadata JSON object (BulkDataURIs relative, as in stored documents), rendered by the
 * ingest from the object it has just received, by blob key: until the worker's document exists, a series' metadata is
 * the concatenation of these instead of a header read and parse per instance (the first metadata of a 2,000-instance
 * series just stored, docs/benchmarks.md). Memory only, bounded: a restart, another node or an evicted entry reads
 * the blob as before (docs/decisions/0006). A blob never changes and an instance replaced gets a new blob key, so an
 * entry never goes stale; the index's listing says which blobs are current, so a replaced or deleted instance's entry
 * is never served. The header parsed for it is kept in the retrieve service's HeaderCache too (bounded there): a
 * viewer's first frames of a series just stored do not parse it again.
 */
public final class RenderedMetadata {
    /** Some tens of thousands of small instances' metadata: the series stored in the last minutes. */
    public static final long DEFAULT_BYTES = 64L << 20;
    /** Kept nowhere (tests, tools): every document is read from the blobs. */
    public static final RenderedMetadata NONE = new RenderedMetadata(0, t -> false, null);

    private record Key(String blobKey, boolean numbersAsStrings) {}

    private final Cache<Key, Json> json;
    private final boolean keeping;
    private final Predicate<TenantId> numbersAsStrings;
    private final RetrieveService headers;

    /**
     * @param numbersAsStrings per tenant, as the documents are written (see {@link SeriesMetadataService})
     * @param headers where the header parsed for the JSON is kept too (its HeaderCache), or null
     */
    public RenderedMetadata(long maxBytes, Predicate<TenantId> numbersAsStrings, RetrieveService headers) {
        this.keeping = maxBytes > 0;
        this.numbersAsStrings = numbersAsStrings;
        this.headers = headers;
        this.json = Caffeine.newBuilder().maximumWeight(Math.max(1, maxBytes))
                .weigher((Key k, Json v) -> v.bytes().length + 4 * v.uriStarts().length + k.blobKey().length() + 64).build();
    }

    /** The JSON object of {@code inst}'s blob with relative BulkDataURIs, or null when none is kept. */
    Json of(StoredInstance inst, boolean asStrings) {
        return keeping ? json.getIfPresent(new Key(inst.blobKey(), asStrings)) : null;
    }

    /**
     * The JSON object of an instance about to be stored under {@code record}, from {@code object} (its bytes exactly as
     * they will be stored), as a metadata request would write it from the blob; null when it is not worth keeping or
     * needs the blob: a large object (long text left in it), a deflated one, or one not parsed as stored.
     */
    public Rendering render(TenantId tenant, InstanceRecord record, InputStream object) throws IOException {
        if (!keeping || record.blobSize() > MetadataDocuments.STREAMED_OVER) return null;
        TransferSyntax ts = TransferSyntax.of(record.transferSyntaxUid());
        if (ts == null || ts.deflated()) return null;
        boolean asStrings = numbersAsStrings.test(tenant);
        DicomFile parsed;
        try (object) {
            parsed = new DicomReader(object, record.blobSize()).readFile(RetrieveService.METADATA_HEADER.within(ParseBudget.MAXIMUM));
        } catch (DicomParseException e) {
            return null; // refused or read again from the blob, where its own error is told
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
        String prefix = MetadataDocuments.instancePath(record.studyUid(), record.seriesUid(), record.sopInstanceUid());
        try {
            MetadataDocuments.writeJson(prefix, parsed.dataSet(), asStrings, LEFT_IN_BLOB, out);
        } catch (DicomJsonException e) {
            if (e.getCause() instanceof LeftInBlob) return null; // the writer's wrapping of the source's failure
            throw e;
        }
        byte[] bytes = out.toByteArray();
        return new Rendering(record.blobKey(), asStrings, new Json(bytes, BaseUriInserter.uriStarts(bytes)), record.blobSize(), parsed);
    }

    /** Keeps what {@link #render} gave, and the header it parsed, once its instance is stored and indexed. */
    public void keep(Rendering r) {
        if (r == null || !keeping) return;
        json.put(new Key(r.blobKey(), r.numbersAsStrings()), r.json());
        if (headers != null) headers.keepHeader(r.blobKey(), r.blobSize(), r.parsed());
    }

    /**
     * Drops what was kept for a blob being deleted (its instance replaced or deleted): a response whose listing was made
     * before would otherwise write the old version, where its blob, gone, made it read the new one or leave it out.
     */
    public void forget(String blobKey) {
        if (headers != null) headers.forgetHeader(blobKey);
        if (!keeping) return;
        json.invalidate(new Key(blobKey, false));
        json.invalidate(new Key(blobKey, true));
    }

    /** An instance's rendered JSON and the header it was rendered from, held by the store path until its instance is indexed. */
    public record Rendering(String blobKey, boolean numbersAsStrings, Json json, long blobSize, DicomFile parsed) {}

    /**
     * A rendered JSON object and where its BulkDataURIs start (found once, here): a request writes it with its base URL
     * inserted there, without searching or copying it (the search and copies were most of the first request's CPU).
     */
    record Json(byte[] bytes, int[] uriStarts) {
        void writeTo(OutputStream out, byte[] base) throws IOException {
            int from = 0;
            for (int at : uriStarts) {
                out.write(bytes, from, at - from);
                out.write(base);
                from = at;
            }
            out.write(bytes, from, bytes.length - from);
        }
    }

    /** A value left in the object (a long text): written from the blob at request time, as before. */
    private static final class LeftInBlob extends IOException {
        LeftInBlob() { super("a value was left in the object"); }
    }

    private static final BulkDataSource LEFT_IN_BLOB = e -> { throw new LeftInBlob(); };
}
