package dev.stratus.archive.retrieve;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.index.StoredInstance;

import java.io.IOException;
import java.util.List;

/**
 * Parsed headers and frame tables of stored blobs, by blob key. A blob never changes (a replace writes a new key and
 * deletes the old one), so an entry never goes stale: a viewer's frame requests and a renderer's re-asks parse each
 * header once instead of opening and parsing the blob per request. The instance itself is always looked up in the
 * index first, so a deleted instance is not served from here. Bounded by an estimate of the bytes held; the data
 * sets handed out are shared and must not be changed (every writer copies them first).
 */
final class HeaderCache {
    /** Headers bigger than this (a structured report with megabytes of text) are read each time. */
    private static final long LARGEST_CACHED_HEADER = 1L << 20;
    /** Parsed elements take several times their encoded bytes (objects, strings). */
    private static final int PARSED_BYTES_PER_STORED_BYTE = 4;

    /** @param full every value read, or binary values over the metadata threshold left in the blob */
    private record Key(String blobKey, boolean full) {}

    private record Header(DataSet dataSet, TransferSyntax transferSyntax, BulkDataElement pixelData, int weight) {}

    private record FrameTable(List<List<long[]>> frames, int weight) {}

    private final Cache<Key, Header> headers;
    private final Cache<String, FrameTable> frameTables;

    HeaderCache(long maxBytes) {
        headers = Caffeine.newBuilder().maximumWeight(maxBytes * 7 / 8).weigher((Key k, Header h) -> h.weight()).build();
        frameTables = Caffeine.newBuilder().maximumWeight(maxBytes / 8).weigher((String k, FrameTable t) -> t.weight()).build();
    }

    interface Reader<T> {
        T read() throws IOException;
    }

    /** The cached header of {@code inst}'s blob, for {@code inst}, or the one {@code reader} reads (kept if small). */
    InstanceHeader header(StoredInstance inst, boolean full, Reader<InstanceHeader> reader) throws IOException {
        InstanceHeader kept = kept(inst, full);
        if (kept != null) return kept;
        InstanceHeader read = reader.read(); // outside the cache's locks: a slow read must not hold up other keys
        keep(inst.blobKey(), inst.blobSize(), full, read.dataSet(), read.transferSyntax(), read.pixelData());
        return read;
    }

    /** Keeps a header read from the blob under {@code blobKey} (of {@code blobSize} bytes), if small. */
    void keep(String blobKey, long blobSize, boolean full, DataSet dataSet, TransferSyntax ts, BulkDataElement pixelData) {
        long stored = pixelData != null ? pixelData.offset() : blobSize;
        if (stored <= LARGEST_CACHED_HEADER) {
            headers.put(new Key(blobKey, full), new Header(dataSet, ts, pixelData, (int) Math.max(256, stored * PARSED_BYTES_PER_STORED_BYTE)));
        }
    }

    /** Drops what is kept for a blob being deleted: it is not read again, and its memory is better used. */
    void forget(String blobKey) {
        headers.invalidate(new Key(blobKey, false));
        headers.invalidate(new Key(blobKey, true));
        frameTables.invalidate(blobKey);
    }

    /** The kept header of {@code inst}'s blob, for {@code inst}, or null. */
    InstanceHeader kept(StoredInstance inst, boolean full) {
        Header h = headers.getIfPresent(new Key(inst.blobKey(), full));
        return h == null ? null : new InstanceHeader(inst, h.dataSet(), h.transferSyntax(), h.pixelData());
    }

    /** The fragments of each frame of an encapsulated blob, cached or as {@code reader} scans them. */
    List<List<long[]>> frameTable(String blobKey, Reader<List<List<long[]>>> reader) throws IOException {
        FrameTable t = frameTables.getIfPresent(blobKey);
        if (t != null) return t.frames();
        List<List<long[]>> frames = reader.read();
        long fragments = frames.stream().mapToLong(List::size).sum();
        frameTables.put(blobKey, new FrameTable(frames, (int) Math.min(Integer.MAX_VALUE, 64 + 40 * (frames.size() + fragments))));
        return frames;
    }
}
