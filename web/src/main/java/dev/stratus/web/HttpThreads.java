package dev.stratus.web;

import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

import java.util.concurrent.Executors;

/**
 * Jetty's threads (docs/decisions/0008): its selector, acceptor and non-blocking work on a few platform threads, each
 * request's handler on a virtual thread of its own. With every task on virtual threads (Javalin's useVirtualThreads),
 * the selector itself parked through the JDK's poller, and a small request cost about 30% more CPU.
 */
final class HttpThreads {
    /** Platform threads only wait in the selector or run Jetty's own short tasks: a handler never holds one. */
    private static final int MAX_PLATFORM = 32, MIN_PLATFORM = 4, IDLE_MS = 60_000;

    private HttpThreads() {}

    static ThreadPool pool(String name) {
        QueuedThreadPool pool = new QueuedThreadPool(MAX_PLATFORM, MIN_PLATFORM, IDLE_MS);
        pool.setName(name);
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-request-", 0).factory()));
        return pool;
    }
}
