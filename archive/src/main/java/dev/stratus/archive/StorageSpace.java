package dev.stratus.archive;

import dev.stratus.index.IndexFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * Whether the archive's disks have room for new objects. A full disk is noticed where it shows (ENOSPC from a
 * spool or blob write, SQLITE_FULL from the index: {@link #observe}); from then on new stores are refused at
 * once (STOW-RS 507, C-STORE A700) while everything else goes on, until there is room again: each look at the
 * state ({@link #fullReason()}) checks the free space again, so the archive recovers by itself, no restart.
 * <p>
 * So that an operator can free space through the API, a reserve file of {@code reserveBytes} is kept in the data
 * directory: released when the disk fills, it gives the index room to commit DELETEs (SQLite appends each commit
 * to its write-ahead log, which needs space). Stores stay refused until the reserve can be written again with as
 * much room left beside it, so that they cannot take the reserve's place.
 */
public final class StorageSpace {
    private static final Logger log = LoggerFactory.getLogger(StorageSpace.class);
    static final String RESERVE_FILE = "space-reserve";
    /** Free space is looked at again at most this often while full: stores refused meanwhile cost nothing. */
    private static final long RECHECK_NANOS = 250_000_000L;
    /** Room wanted beside the reserve before stores resume, when the reserve is smaller. */
    private static final long MIN_ROOM = 1L << 20;

    private final Path dataDir;
    private final List<Path> watched;
    private final long reserveBytes;
    private volatile String fullReason;
    private volatile long checkedAt;
    /** Forcing the start's reserve to disk, if it had to be written. */
    private volatile Thread settling;

    /**
     * @param dataDir      where the reserve file lives (with the spool and the embedded index)
     * @param reserveBytes size of the reserve file, 0 for none
     * @param otherDirs    further directories written by stores (a blob store elsewhere), watched for free space
     */
    public StorageSpace(Path dataDir, long reserveBytes, Path... otherDirs) {
        if (reserveBytes < 0) throw new IllegalArgumentException("reserveBytes must not be negative");
        this.dataDir = dataDir;
        this.reserveBytes = reserveBytes;
        this.watched = java.util.stream.Stream.concat(java.util.stream.Stream.of(dataDir), java.util.stream.Stream.of(otherDirs)).toList();
        if (reserveBytes > 0) {
            try {
                Files.createDirectories(dataDir);
                if (writeReserve(false)) settling = Thread.ofVirtual().name("stratus-space-reserve").start(this::settleReserve);
            } catch (IOException e) {
                enterFull("the reserve of " + reserveBytes + " bytes could not be written at start: " + describe(e));
            }
        }
    }

    /** Without a reserve: for tests and tools, and where the data directory is not the store's. */
    public static StorageSpace unreserved(Path dir) {
        return new StorageSpace(dir, 0);
    }

    /** Why new objects are refused now (in words), or null when there is room. */
    public String fullReason() {
        String reason = fullReason;
        if (reason == null) return null;
        long now = System.nanoTime();
        if (now - checkedAt < RECHECK_NANOS) return reason;
        synchronized (this) {
            if (fullReason == null) return null;
            if (System.nanoTime() - checkedAt < RECHECK_NANOS) return fullReason;
            checkedAt = System.nanoTime();
            if (!roomAgain()) return fullReason;
            log.info("storage has room again: new objects are accepted");
            fullReason = null;
            return null;
        }
    }

    /**
     * Notes {@code failure} if it is a full disk (its cause chain holds ENOSPC, a disk quota exceeded or the index's
     * {@link IndexFullException}); returns whether it was. The first one releases the reserve.
     */
    public boolean observe(Throwable failure) {
        String what = fullDisk(failure);
        if (what == null) return false;
        enterFull(what);
        return true;
    }

    /** What in {@code t}'s cause chain says a disk is full, in words, or null. */
    public static String fullDisk(Throwable t) {
        for (int depth = 0; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof IndexFullException) return "the index database has no space left";
            if (t instanceof IOException) {
                String m = t instanceof FileSystemException f && f.getReason() != null ? f.getReason() : t.getMessage();
                if (m != null) {
                    String lower = m.toLowerCase(Locale.ROOT);
                    if (lower.contains("no space left on device")) return "no space left on device";
                    if (lower.contains("disk quota exceeded")) return "disk quota exceeded";
                }
            }
        }
        return null;
    }

    private synchronized void enterFull(String what) {
        if (fullReason == null) {
            fullReason = what + "; new objects are refused until space is freed (DELETE works)";
            log.warn("storage full ({}): new objects are refused until there is room again{}", what,
                    reserveBytes > 0 ? "; the reserve of " + reserveBytes + " bytes is released for the index" : "");
        }
        checkedAt = System.nanoTime();
        if (reserveBytes > 0) {
            try {
                Files.deleteIfExists(dataDir.resolve(RESERVE_FILE));
            } catch (IOException e) {
                log.warn("could not release the space reserve: {}", e.toString());
            }
        }
    }

    /** Whether every watched disk has room for the reserve and as much again (at least 1 MiB); if so the reserve is back. */
    private boolean roomAgain() {
        long wanted = reserveBytes + Math.max(reserveBytes, MIN_ROOM);
        try {
            for (Path dir : watched) {
                if (Files.getFileStore(dir).getUsableSpace() < wanted) return false;
            }
            if (reserveBytes > 0) writeReserve(true);
            return true;
        } catch (IOException e) {
            log.debug("storage still full: {}", e.toString());
            return false;
        }
    }

    /**
     * Writes the reserve (zeros: a sparse file would reserve nothing); a partial one is removed. The disk accounts for
     * the space as the zeros are written, so that is the check; forcing them to disk (which a crash could otherwise
     * leave as a file of the right size holding nothing) and the move into place come after, synchronously when
     * {@code force}, else in {@link #settleReserve()}: at start that flush of 64 MiB took ~0.7 s of the time to ready,
     * as it held back the index's own syncs (issue 20). Returns whether a reserve was written.
     */
    private boolean writeReserve(boolean force) throws IOException {
        Path file = dataDir.resolve(RESERVE_FILE);
        if (Files.isRegularFile(file) && Files.size(file) == reserveBytes) return false;
        Path temp = dataDir.resolve(RESERVE_FILE + ".part");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(reserveBytes, 1 << 20));
            for (long written = 0; written < reserveBytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), reserveBytes - written));
                written += ch.write(zeros, written);
            }
            if (force) ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (force) Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** The start's reserve, forced and moved into place; dropped if the disk filled meanwhile (it was released). */
    private synchronized void settleReserve() {
        Path temp = dataDir.resolve(RESERVE_FILE + ".part");
        try {
            if (!Files.exists(temp)) return; // written again, synchronously, after a full disk
            if (fullReason != null) {
                Files.deleteIfExists(temp);
                return;
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(temp, dataDir.resolve(RESERVE_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            enterFull("the reserve of " + reserveBytes + " bytes could not be written at start: " + describe(e));
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the next start writes it again
            }
        }
    }

    /** Waits until the reserve written at start is in place (for tests). */
    void awaitReserve() throws InterruptedException {
        Thread t = settling;
        if (t != null) t.join();
    }

    private static String describe(IOException e) {
        String full = fullDisk(e);
        return full != null ? full : e.getMessage();
    }
}
