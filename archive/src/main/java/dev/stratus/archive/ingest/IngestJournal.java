package dev.stratus.archive.ingest;

import dev.stratus.index.Index;
import dev.stratus.index.TenantId;
import dev.stratus.storage.BlobKey;
import dev.stratus.storage.FileSync;
import dev.stratus.storage.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The write-ahead record that lets a store be acknowledged before the embedded index's commit is durable
 * (docs/decisions/0001-ingest-journal.md). A batch writes one page, a small file listing its instances' blob
 * keys, and forces it while their blobs are forced; the index then commits without waiting for its sync. Every
 * {@link #RETIRE_EVERY_MS} ms one index sync makes the commits made so far durable and their pages are deleted.
 * At start-up the pages left over are replayed in the order they were written ({@link IngestService#replayJournal()}).
 * <p>
 * A DELETE runs {@link #exclusively}: no store commits meanwhile and every committed page is retired first, so
 * that a replay never brings back what a delete removed.
 */
public final class IngestJournal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestJournal.class);
    static final String HEADER = "stratus-ingest-journal 1";
    static final String SUFFIX = ".journal";
    static final long RETIRE_EVERY_MS = 500;

    /** One instance of a page: the blob a replay indexes again, and the size that proves it complete. */
    public record Entry(TenantId tenant, String blobKey, long size) {}

    /** A page being forced to disk: its bytes and its directory entry, at once. */
    static final class Page {
        final Path file;
        private final Future<?> data, entry;

        private Page(Path file, Future<?> data, Future<?> entry) {
            this.file = file;
            this.data = data;
            this.entry = entry;
        }

        void await() throws IOException {
            Futures.await(data, "force the ingest journal page " + file.getFileName());
            Futures.await(entry, "force the directory entry of the ingest journal page " + file.getFileName());
        }
    }

    /** A page found at start-up: its entries, or none when it was never completely written. */
    record LeftOver(Path file, List<Entry> entries, boolean complete) {}

    private final Path dir;
    private final Index index;
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService retirer;
    /** Stores commit under the read lock, a delete works under the write lock. */
    private final ReentrantReadWriteLock commitOrder = new ReentrantReadWriteLock();
    private final List<Path> committed = new ArrayList<>(); // in commit order; guarded by itself
    private final Object retiring = new Object();
    private final AtomicLong sequence;

    private IngestJournal(Path dir, Index index, boolean retireInBackground) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.index = index;
        long last = 0;
        for (Path p : pages()) last = Math.max(last, sequenceOf(p));
        sequence = new AtomicLong(Math.max(last, System.currentTimeMillis() * 1000));
        retirer = retireInBackground ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-journal-retirer");
            t.setDaemon(true);
            return t;
        }) : null;
        if (retirer != null) retirer.scheduleWithFixedDelay(this::retireQuietly, RETIRE_EVERY_MS, RETIRE_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** A journal in {@code dir} for an index that {@linkplain Index#defersDurability() defers durability}. */
    public static IngestJournal open(Path dir, Index index) throws IOException {
        return open(dir, index, true);
    }

    /** The journal an index needs in {@code dir}, or null for one whose commits are durable when they return. */
    public static IngestJournal openIfNeeded(Path dir, Index index) throws IOException {
        return index.defersDurability() ? open(dir, index) : null;
    }

    /** {@code retireInBackground} false leaves retiring to explicit {@link #retire()} calls (tests). */
    static IngestJournal open(Path dir, Index index, boolean retireInBackground) throws IOException {
        if (!index.defersDurability()) throw new IllegalArgumentException("this index makes each commit durable itself; it needs no ingest journal");
        return new IngestJournal(dir, index, retireInBackground);
    }

    /** Creates a page listing {@code entries} and starts forcing it and its directory entry. */
    Page write(List<Entry> entries) throws IOException {
        Path file = dir.resolve(String.format("%020d", sequence.incrementAndGet()) + SUFFIX);
        ByteBuffer bytes = ByteBuffer.wrap(encode(entries));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) ch.write(bytes);
        }
        return new Page(file, io.submit(() -> FileSync.force(file)), io.submit(() -> FileSync.forceDirectory(dir)));
    }

    /** Runs the index commit of a page's batch; once it returns, the page waits for the next index sync. */
    <T> T commit(Page page, Supplier<T> indexCommit) {
        commitOrder.readLock().lock();
        try {
            T result = indexCommit.get();
            synchronized (committed) {
                committed.add(page.file);
            }
            return result;
        } finally {
            commitOrder.readLock().unlock();
        }
    }

    /** The page of a batch that was not stored: nothing of it is acknowledged, so nothing is to be replayed. */
    void abandon(Page page) {
        try {
            page.await();
        } catch (IOException e) {
            // being deleted anyway
        }
        try {
            Files.deleteIfExists(page.file);
        } catch (IOException e) {
            log.warn("could not delete the ingest journal page {} of a failed store: {}", page.file, e.toString());
        }
    }

    /**
     * Runs {@code work} with no store committing, after making every committed store durable and deleting its
     * page: a page written before {@code work} is never replayed after it.
     */
    public <T> T exclusively(Supplier<T> work) {
        commitOrder.writeLock().lock();
        try {
            retire();
            return work.get();
        } finally {
            commitOrder.writeLock().unlock();
        }
    }

    /** Syncs the index, then deletes the pages of every store committed before the sync began. */
    public void retire() {
        synchronized (retiring) {
            List<Path> done;
            synchronized (committed) {
                if (committed.isEmpty()) return;
                done = new ArrayList<>(committed);
            }
            index.syncStores();
            synchronized (committed) {
                committed.subList(0, done.size()).clear();
            }
            delete(done);
        }
    }

    private void retireQuietly() {
        try {
            retire();
        } catch (RuntimeException e) {
            log.warn("could not make the index's latest commits durable (retried in {} ms; their journal pages are kept): {}",
                    RETIRE_EVERY_MS, e.toString());
        }
    }

    /**
     * The pages left by a process that stopped before retiring them, oldest first. A page without its end line
     * or whose checksum does not match was being written when the process stopped: its batch was not acknowledged.
     */
    List<LeftOver> leftOver() throws IOException {
        List<LeftOver> found = new ArrayList<>();
        for (Path p : pages()) {
            List<Entry> entries = decode(Files.readAllBytes(p));
            found.add(new LeftOver(p, entries == null ? List.of() : entries, entries != null));
        }
        return found;
    }

    /** Deletes pages that have been dealt with (replayed and synced), then makes the deletions durable. */
    void delete(List<Path> pages) {
        if (pages.isEmpty()) return;
        for (Path p : pages) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                log.warn("could not delete the ingest journal page {} (replayed again at start-up, harmlessly): {}", p, e.toString());
            }
        }
        FileSync.forceDirectory(dir);
    }

    private List<Path> pages() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && sequenceOf(p) >= 0).sorted().toList();
        }
    }

    private static long sequenceOf(Path page) {
        String name = page.getFileName().toString();
        String digits = name.substring(0, name.length() - SUFFIX.length());
        if (digits.length() != 20 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
        return Long.parseLong(digits);
    }

    /** Header line, one "tenant size key" line per entry, then "end COUNT CRC32C" over everything before it. */
    static byte[] encode(List<Entry> entries) {
        StringBuilder body = new StringBuilder(HEADER).append('\n');
        for (Entry e : entries) body.append(e.tenant().name()).append(' ').append(e.size()).append(' ').append(e.blobKey()).append('\n');
        byte[] head = body.toString().getBytes(StandardCharsets.US_ASCII);
        CRC32C crc = new CRC32C();
        crc.update(head);
        byte[] end = ("end " + entries.size() + " " + Long.toHexString(crc.getValue()) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] page = new byte[head.length + end.length];
        System.arraycopy(head, 0, page, 0, head.length);
        System.arraycopy(end, 0, page, head.length, end.length);
        return page;
    }

    /** The entries of a complete page, or null for a torn or damaged one. Tenants and keys are checked again. */
    static List<Entry> decode(byte[] page) {
        String text = new String(page, StandardCharsets.US_ASCII);
        if (!text.endsWith("\n")) return null;
        int endLine = text.lastIndexOf('\n', text.length() - 2) + 1;
        String[] end = text.substring(endLine, text.length() - 1).split(" ");
        if (end.length != 3 || !end[0].equals("end")) return null;
        CRC32C crc = new CRC32C();
        crc.update(page, 0, endLine);
        if (!Long.toHexString(crc.getValue()).equals(end[2])) return null;
        String[] lines = text.substring(0, endLine).split("\n");
        if (!lines[0].equals(HEADER)) return null;
        List<Entry> entries = new ArrayList<>(lines.length - 1);
        try {
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split(" ");
                if (f.length != 3) return null;
                entries.add(new Entry(new TenantId(f[0]), BlobKey.check(f[2]), Long.parseLong(f[1])));
            }
            if (entries.size() != Integer.parseInt(end[1])) return null;
        } catch (IllegalArgumentException e) {
            return null;
        }
        return entries;
    }

    /** Retires what is committed (a clean stop leaves no page behind), then stops the background work. */
    @Override
    public void close() {
        if (retirer != null) {
            retirer.shutdown(); // not shutdownNow: an interrupt makes H2 close its file under a running sync
            try {
                retirer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        retireQuietly();
        io.close();
    }
}
