package dev.stratus.archive.retrieve;

import dev.stratus.codec.TransferSyntax;
import dev.stratus.index.StoredInstance;
import dev.stratus.storage.BlobStore;
import dev.stratus.storage.Futures;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
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
    /** Blobs from this size on are read into direct buffers (the response gathers smaller parts into 64 KB writes). */
    static final int DIRECT_FROM = 1 << 16;

    private final RetrieveService retrieve;
    private final BlobStore store;
    private final List<StoredInstance> instances;
    private final TransferSyntax wanted;
    private final Map<Integer, Future<ByteBuffer>> reading = new HashMap<>();
    /** Direct buffers written and free again, shared by responses (a study's instances are mostly of one size). */
    private final DirectBuffers spare;
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    private int next;
    private long ahead;

    ReadAhead(RetrieveService retrieve, BlobStore store, List<StoredInstance> instances, TransferSyntax wanted, DirectBuffers spare) {
        this.retrieve = retrieve;
        this.spare = spare;
        this.store = store;
        this.instances = instances;
        this.wanted = wanted;
    }

    /** Hands bytes read ahead to a response; a direct buffer can go to the socket as it is. */
    @FunctionalInterface
    public interface BufferWriter {
        void write(OutputStream out, ByteBuffer bytes) throws IOException;
    }

    /** Writes instance {@code i} (of the list, in order) as {@link RetrieveService#writeInstance} does. */
    public void write(int i, OutputStream out) throws IOException {
        write(i, out, (o, b) -> Channels.newChannel(o).write(b));
    }

    /** Writes instance {@code i} as {@link #write(int, OutputStream)}, the bytes read ahead through {@code writer}. */
    public void write(int i, OutputStream out, BufferWriter writer) throws IOException {
        StoredInstance inst = instances.get(i);
        next = Math.max(next, i);
        startReads(i);
        Future<ByteBuffer> read = reading.remove(i);
        if (read == null) {
            retrieve.writeInstance(inst, wanted, out);
            return;
        }
        ByteBuffer bytes = Futures.result(read, "read a stored object");
        ahead -= inst.blobSize();
        startReads(i + 1);
        writer.write(out, bytes);
        spare.give(bytes);
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
                ByteBuffer into = buffer(size + 1);
                reading.put(next, readers.submit(() -> read(key, size, into)));
                ahead += size;
            }
            next++;
        }
    }

    /**
     * A buffer for {@code capacity} bytes: a heap one below {@link #DIRECT_FROM} (small parts are gathered into the
     * response's writes anyway), else a spare or new direct one, read into and written from without a heap copy.
     */
    private ByteBuffer buffer(int capacity) {
        return capacity < DIRECT_FROM ? ByteBuffer.allocate(capacity) : spare.take(capacity);
    }

    /** A blob's bytes, one more than expected asked for to see a longer blob (a key's content never changes). */
    private ByteBuffer read(String key, int size, ByteBuffer into) throws IOException {
        if (store.read(key, 0, into) != size) {
            throw new IOException("stored object " + key + " is not the " + size + " bytes the index records");
        }
        return into.flip();
    }

    /** Stops the reads still going (a response cut short) without waiting for them; their buffers are not reused. */
    @Override
    public void close() {
        readers.shutdownNow();
    }
}
