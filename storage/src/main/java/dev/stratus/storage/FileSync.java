package dev.stratus.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Forcing files and directory entries to disk, for whatever must survive a crash once acknowledged. */
public final class FileSync {
    private FileSync() {}

    /** Forces a file's bytes and metadata. Returns null so it can be a Callable. */
    public static Void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return null;
    }

    /** A new or renamed entry is durable only once its directory is forced. Returns null so it can be a Callable. */
    public static Void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open directories for sync; the files themselves are forced all the same
        }
        return null;
    }
}
