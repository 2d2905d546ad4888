package dev.stratus.app.tools;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The import's progress: on a terminal one line rewritten every second (files, MB, instances/s, ETA), otherwise (a log,
 * a pipe) a plain line every {@link #PLAIN_EVERY}, so that a log is not flooded.
 */
final class ImportProgress implements AutoCloseable {
    static final Duration PLAIN_EVERY = Duration.ofSeconds(10);

    private final ImportSources.Totals totals;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong instances = new AtomicLong();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "import-progress");
        t.setDaemon(true);
        return t;
    });

    ImportProgress(ImportSources.Totals totals, PrintStream out, boolean terminal) {
        this.totals = totals;
        this.out = out;
        this.terminal = terminal;
        long every = terminal ? 1000 : PLAIN_EVERY.toMillis();
        ticker.scheduleAtFixedRate(this::print, every, every, TimeUnit.MILLISECONDS);
    }

    /** One item dealt with, whatever its outcome; {@code stored}: it is now in the archive. */
    void done(ImportItem item, boolean stored) {
        items.incrementAndGet();
        bytes.addAndGet(Math.max(0, item.size()));
        if (stored) instances.incrementAndGet();
    }

    private synchronized void print() {
        out.print(terminal ? "\r" + line() + "  " : line() + "\n");
        out.flush();
    }

    String line() {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        long b = bytes.get();
        String eta = "--:--:--";
        if (b > 0 && totals.bytes() >= b) {
            long rest = (long) ((totals.bytes() - b) / (b / seconds));
            eta = String.format("%02d:%02d:%02d", rest / 3600, rest / 60 % 60, rest % 60);
        }
        return String.format("import: %,d/%,d files  %,.1f/%,.1f MB  %,.1f instances/s  ETA %s",
                items.get(), totals.items(), b / 1e6, totals.bytes() / 1e6, instances.get() / seconds, eta);
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        out.print(terminal ? "\r" + line() + "  \n" : line() + "\n");
        out.flush();
    }
}
