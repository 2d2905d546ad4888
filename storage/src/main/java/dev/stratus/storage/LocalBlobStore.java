package dev.stratus.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Blobs as files under a root directory. A put writes a temporary file in the target directory, forces
 * it to disk, renames it over the target and forces the directory, so a crash leaves either the old
 * blob, the new one, or an ignorable temporary file, never a partial blob under the key.
 */
public final class LocalBlobStore implements BlobStore {
    static final String TEMP_SUFFIX = ".part";

    private final Path root;
    /** Runs the flushes of placed files, so that they overlap with the caller's work and with each other. */
    private final ExecutorService flushers = Executors.newVirtualThreadPerTaskExecutor();

    public LocalBlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
    }

    public Path root() { return root; }

    private Path pathOf(String key) {
        Path p = root.resolve(BlobKey.check(key)).normalize();
        if (!p.startsWith(root)) throw new IllegalArgumentException("storage key escapes the store: " + key);
        return p;
    }

    @Override
    public long put(String key, InputStream data) throws IOException {
        Path target = pathOf(key);
        Path dir = Files.createDirectories(target.getParent());
        Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        long size;
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(ch)) {
            size = data.transferTo(out);
            ch.force(true);
        } catch (Throwable e) { // an Error too: a temporary file left here would stay forever
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw new IOException("the file system under " + root + " cannot rename atomically", e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        FileSync.forceDirectory(dir);
        return size;
    }

    @Override
    public long putFile(String key, Path file) throws IOException {
        long size = Files.size(file);
        place(new StagedFile(key, file)).await();
        return size;
    }

    @Override
    public boolean adoptsLocalFiles() { return true; }

    /**
     * Renames the file into place, then forces it and the directories whose entries changed on virtual
     * threads: one journal commit can make both the bytes and the new name durable. Renaming before forcing is
     * safe only under a key that nothing holds yet (ingest keys are fresh): until the caller indexes the key,
     * a crash leaves at worst an unreferenced file there. A file that replaces a blob is forced before its rename.
     */
    @Override
    public Placement place(StagedFile f) throws IOException {
        Path target = pathOf(f.key());
        Path dir = target.getParent();
        Set<Path> directories = new LinkedHashSet<>();
        // A stat is far cheaper than createDirectories on an existing directory (mkdir fails, two exceptions).
        if (!Files.isDirectory(dir)) createDirectories(dir, directories);
        boolean replacing = Files.exists(target);
        if (replacing) FileSync.force(f.file());
        try {
            Files.move(f.file(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            BlobStore.super.putFile(f.key(), f.file()); // another file system: copy through a temporary file
            return Placement.DONE;
        }
        directories.add(dir);
        // At once, not one after the other: a rename next door between the two would cost a second journal commit.
        List<Future<Void>> flushes = new ArrayList<>(directories.size() + 1);
        if (!replacing) flushes.add(flushers.submit(() -> FileSync.force(target)));
        for (Path d : directories) flushes.add(flushers.submit(() -> FileSync.forceDirectory(d)));
        return () -> {
            for (Future<Void> flush : flushes) Futures.await(flush, "force " + target + " to disk");
        };
    }

    /** Creates {@code dir} and notes the parents whose new entries must be forced too. */
    private void createDirectories(Path dir, Set<Path> toForce) throws IOException {
        Path existing = dir;
        while (!Files.isDirectory(existing) && !existing.equals(root)) existing = existing.getParent();
        Files.createDirectories(dir);
        for (Path p = dir.getParent(); p.startsWith(existing); p = p.getParent()) {
            toForce.add(p);
            if (p.equals(existing)) break;
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return Files.newInputStream(pathOf(key));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        }
    }

    @Override
    public InputStream openRange(String key, long offset, long length) throws IOException {
        SeekableByteChannel ch;
        try {
            ch = Files.newByteChannel(pathOf(key), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        }
        ch.position(offset);
        return new BoundedInputStream(Channels.newInputStream(ch), length);
    }

    @Override
    public int read(String key, long offset, java.nio.ByteBuffer dst) throws IOException {
        int start = dst.position();
        try (FileChannel ch = FileChannel.open(pathOf(key), StandardOpenOption.READ)) {
            for (long at = offset; dst.hasRemaining(); ) {
                int n = ch.read(dst, at);
                if (n < 0) break;
                at += n;
            }
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(key);
        }
        return dst.position() - start;
    }

    @Override
    public void prefetch(String key) {
        PageCacheHint.willNeed(pathOf(key));
    }

    @Override
    public boolean prefetches() { return PageCacheHint.AVAILABLE; }

    @Override
    public long size(String key) throws IOException {
        Path p = pathOf(key);
        return Files.exists(p) ? Files.size(p) : -1;
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(pathOf(key));
    }

    @Override
    public void walk(String prefix, Consumer<Listed> visitor) throws IOException {
        Path start = prefix.isEmpty() ? root : pathOf(prefix);
        if (!Files.isDirectory(start)) return;
        try (Stream<Path> s = Files.walk(start)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().endsWith(TEMP_SUFFIX)) continue;
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (NoSuchFileException gone) { // deleted while the walk went on
                    continue;
                }
                if (!a.isRegularFile()) continue;
                visitor.accept(new Listed(root.relativize(p).toString().replace('\\', '/'), a.size(), a.lastModifiedTime().toInstant()));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void checkReady() throws IOException {
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            throw new IOException("storage directory " + root + " is missing or not writable");
        }
    }

    @Override
    public void close() {
        flushers.close(); // waits for flushes in progress
    }
}
