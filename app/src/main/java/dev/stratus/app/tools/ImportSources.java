package dev.stratus.app.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The objects under the paths given to {@code stratus import}: files, folders walked recursively and zip archives, whose entries are read through the archive's
 * central directory and streamed one by one, never unpacked. A DICOMDIR given as a path stands for its folder:
 * the files it references are there, and the walk finds them.
 * <p>Zip archives stay open until {@link #close()}, since their entries are read by the batches after the walk has moved on.
 */
final class ImportSources implements AutoCloseable {
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    interface Visitor {
        void accept(ImportItem item) throws IOException, InterruptedException;
    }

    private final List<Path> roots;
    private final List<ZipFile> zips = new ArrayList<>();

    ImportSources(List<Path> paths) throws IOException {
        List<Path> roots = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) throw new IOException(p + ": no such file or folder");
            boolean dicomdir = Files.isRegularFile(p) && p.getFileName().toString().equalsIgnoreCase("DICOMDIR");
            roots.add(dicomdir ? p.toAbsolutePath().getParent() : p);
        }
        this.roots = List.copyOf(roots);
    }

    /** Visits every object once; zip archives are opened (and kept open) on the way. */
    void walk(Visitor visitor) throws IOException, InterruptedException {
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                file(root, visitor);
                continue;
            }
            try { // walkFileTree holds one directory's iterator per level, never the whole tree's paths
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                        if (!attrs.isRegularFile()) return FileVisitResult.CONTINUE;
                        try {
                            file(f, visitor);
                        } catch (InterruptedException e) {
                            throw new WalkInterrupted(e);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (WalkInterrupted e) {
                throw (InterruptedException) e.getCause();
            }
        }
    }

    /** How many objects and bytes the paths hold (the zip entries counted from their central directories): for the ETA. */
    record Totals(long items, long bytes) {}

    Totals count() throws IOException {
        long[] t = new long[2];
        try (ImportSources counting = new ImportSources(roots)) {
            counting.walk(item -> {
                t[0]++;
                t[1] += Math.max(0, item.size());
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while counting the files", e);
        }
        return new Totals(t[0], t[1]);
    }

    private void file(Path f, Visitor visitor) throws IOException, InterruptedException {
        if (isZip(f)) {
            ZipFile zip = new ZipFile(f.toFile());
            synchronized (zips) {
                zips.add(zip);
            }
            List<ZipEntry> entries = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (!entry.isDirectory()) entries.add(entry);
            }
            for (ZipEntry entry : entries) {
                visitor.accept(new ImportItem(f + "!" + entry.getName(), entry.getSize(), () -> zip.getInputStream(entry)));
            }
        } else {
            visitor.accept(new ImportItem(f.toString(), Files.size(f), () -> Files.newInputStream(f)));
        }
    }

    private static boolean isZip(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return java.util.Arrays.equals(in.readNBytes(4), ZIP_MAGIC);
        }
    }

    @Override
    public void close() {
        synchronized (zips) {
            for (ZipFile z : zips) {
                try {
                    z.close();
                } catch (IOException e) {
                    // read only: nothing was written that closing could lose
                }
            }
            zips.clear();
        }
    }

    /** Carries an interrupt out of the file visitor, which may throw only IOException. */
    private static final class WalkInterrupted extends IOException {
        WalkInterrupted(InterruptedException e) {
            super(e);
        }
    }
}
