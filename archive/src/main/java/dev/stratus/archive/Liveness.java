package dev.stratus.archive;

import dev.stratus.index.Index;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this process can still do its work, for {@code /health/live}: it cannot once a VirtualMachineError
 * (OutOfMemoryError, StackOverflowError, InternalError) was seen anywhere, since whatever thread it hit may have
 * been holding a lock or half-way through a change, or once the index is closed for good. A supervisor then
 * restarts the process: every acknowledged store is durable (docs/decisions/0002), so nothing is lost.
 * <p>
 * Errors reach it from request handlers ({@link #observe(Throwable)}) and, through the default uncaught exception
 * handler that the first instance installs, from any thread that dies of one (the metadata worker, DIMSE
 * associations). Started without -XX:+ExitOnOutOfMemoryError, the process keeps answering and says it is DOWN.
 */
public final class Liveness implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Liveness.class);
    /**
     * Every instance not closed or dropped: the default uncaught exception handler is one per JVM, the archives in it
     * may be several (tests); weakly held, so that one nobody closed does not stay.
     */
    private static final Set<Liveness> OPEN = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static final AtomicReference<Thread.UncaughtExceptionHandler> INSTALLED = new AtomicReference<>();

    private final Index index;
    private final AtomicReference<String> fatal = new AtomicReference<>();

    /** Watches {@code index} (closed: DOWN) and every thread of the JVM (a VirtualMachineError: DOWN). */
    public Liveness(Index index) {
        this.index = index;
        OPEN.add(this);
        installDefaultHandler();
    }

    /** Why the process is not alive, or null while it is. */
    public String downReason() {
        String reason = fatal.get();
        if (reason != null) return reason;
        if (index.isClosed()) return "the index is closed";
        return null;
    }

    /**
     * Notes {@code failure} if it is, or was caused by, a VirtualMachineError; returns whether it was. Call it
     * wherever a Throwable is caught and not rethrown.
     */
    public boolean observe(Throwable failure) {
        VirtualMachineError e = vmError(failure);
        if (e == null) return false;
        if (fatal.compareAndSet(null, e.getClass().getSimpleName() + " in thread " + Thread.currentThread().getName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()))) {
            log.error("unrecoverable error: /health/live answers DOWN from now on; restart the process", e);
        }
        return true;
    }

    /** The VirtualMachineError in {@code t}'s cause chain, or null. */
    static VirtualMachineError vmError(Throwable t) {
        for (int depth = 0; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof VirtualMachineError e) return e;
        }
        return null;
    }

    private static void installDefaultHandler() {
        if (INSTALLED.get() != null) return;
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.UncaughtExceptionHandler handler = (thread, e) -> {
            if (vmError(e) != null) {
                synchronized (OPEN) {
                    for (Liveness l : OPEN) l.observe(e);
                }
            }
            if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                e.printStackTrace(System.err);
            }
        };
        if (INSTALLED.compareAndSet(null, handler)) Thread.setDefaultUncaughtExceptionHandler(handler);
    }

    @Override
    public void close() {
        OPEN.remove(this);
    }
}
