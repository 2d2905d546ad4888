package dev.stratus.storage;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * posix_fadvise(POSIX_FADV_WILLNEED) through libc: the kernel starts reading a file into the page cache and the caller
 * goes on, no copy through Java. Large objects are written past the page cache (DirectFileWriter), so a viewer's first
 * frames of a series just stored came from the disk one synchronous read at a time. Linux only; elsewhere a no-op.
 */
final class PageCacheHint {
    private static final int O_RDONLY = 0, POSIX_FADV_WILLNEED = 3;
    private static final MethodHandle OPEN, FADVISE, CLOSE;

    static {
        MethodHandle open = null, fadvise = null, close = null;
        if (System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                open = linker.downcallHandle(libc.find("open").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
                fadvise = linker.downcallHandle(libc.find("posix_fadvise").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
                close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            } catch (RuntimeException | LinkageError unavailable) {
                open = fadvise = close = null; // a hint: without it reads are as before
            }
        }
        OPEN = open;
        FADVISE = fadvise;
        CLOSE = close;
    }

    static final boolean AVAILABLE = OPEN != null;

    private PageCacheHint() {}

    /** Asks the kernel to read the whole file ahead; false if it could not be asked (no such file, not Linux). */
    static boolean willNeed(Path file) {
        if (OPEN == null) return false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(file.toString());
            int fd = (int) OPEN.invokeExact(name, O_RDONLY);
            if (fd < 0) return false;
            try {
                return (int) FADVISE.invokeExact(fd, 0L, 0L, POSIX_FADV_WILLNEED) == 0;
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (Throwable t) {
            return false;
        }
    }
}
