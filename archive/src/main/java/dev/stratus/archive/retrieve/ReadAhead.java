package dev.stratus.archive.retrieve;

import dev.stratus.codec.TransferSyntax;
import dev.stratus.index.StoredInstance;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.Futures;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes the instances of one response in order while the stored bytes of the next ones are being read, up to
 * {@link #WINDOW} bytes ahead: the blobs of a study not in the page cache come from the disk several at a time, so
 * its queue rather than one read's latency sets the pace, and reading overlaps sending. Only instances served as
 * stored are read ahead; the others are converted when their turn comes, as {@link RetrieveService#writeInstance}.
 */
public final class ReadAhead implements AutoCloseable {
    /** Bytes read and not yet written, per response (a blob larger than this is streamed when its turn comes). */
    static final long WINDOW = 4L << 20;

    private final RetrieveService retrieve;
    private final BlobStore store;
    private final List<StoredInstance> instances;
    private final TransferSyntax wanted;
    private final Map<Integer, Future<byte[]>> reading = new HashMap<>();
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    private int next;
    private long ahead;

    ReadAhead(RetrieveService retrieve, BlobStore store, List<StoredInstance> instances, TransferSyntax wanted) {
        this.retrieve = retrieve;
        this.store = store;
        this.instances = instances;
        this.wanted = wanted;
    }

    /** Writes instance {@code i} (of the list, in order) as {@link RetrieveService#writeInstance} does. */
    public void write(int i, OutputStream out) throws IOException {
        StoredInstance inst = instances.get(i);
        next = Math.max(next, i);
        startReads(i);
        Future<byte[]> read = reading.remove(i);
        if (read == null) {
            retrieve.writeInstance(inst, wanted, out);
            return;
        }
        byte[] bytes = Futures.result(read, "read a stored object");
        ahead -= inst.blobSize();
        startReads(i + 1);
        out.write(bytes);
    }

    private boolean asStored(StoredInstance inst) {
        return (wanted == null || wanted.uid().equals(inst.transferSyntaxUid())) && inst.blobSize() <= WINDOW;
    }

    /** Starts reading from {@link #next} on while the window has room; the instance about to be written always. */
    private void startReads(int current) {
        while (next < instances.size()) {
            StoredInstance inst = instances.get(next);
            if (asStored(inst)) {
                if (next > current && ahead + inst.blobSize() > WINDOW) return;
                String key = inst.blobKey();
                int size = (int) inst.blobSize();
                reading.put(next, readers.submit(() -> read(key, size)));
                ahead += size;
            }
            next++;
        }
    }

    /** A blob's bytes (a key's content never changes: a replaced instance gets a new key). */
    private byte[] read(String key, int size) throws IOException {
        try (InputStream in = store.open(key)) {
            byte[] bytes = in.readNBytes(size);
            if (bytes.length != size || in.read() >= 0) {
                throw new IOException("stored object " + key + " is not the " + size + " bytes the index records");
            }
            return bytes;
        }
    }

    /** Stops the reads still going (a response cut short) without waiting for them. */
    @Override
    public void close() {
        readers.shutdownNow();
    }
}
