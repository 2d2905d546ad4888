package dev.stratus.app.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The import as a pipeline: the walk groups items into batches (by count and bytes); each batch, on one of
 * {@code parallel} threads, is probed (DICOM or not, its SOP Instance UIDs), asked of the target (which are stored
 * already), and what remains is stored in one request. At most two batches per thread wait, so memory holds a few
 * batches of names however many files there are.
 */
final class ImportRun {
    /** Refusals listed by name in the summary; the rest are counted. */
    static final int LISTED_REFUSALS = 100;

    /**
     * @param parallel       batches stored at once
     * @param batchInstances items per batch at most
     * @param batchBytes     bytes per batch at most (a batch holds at least one item)
     * @param replace        send instances the archive holds already (they are replaced) instead of skipping them
     */
    record Settings(int parallel, int batchInstances, long batchBytes, boolean replace) {}

    /** What the import did. */
    static final class Summary {
        long stored, replaced, alreadyStored, refused, notDicom, directories;
        final List<String> refusals = new ArrayList<>();
        volatile String stoppedBecause;

        synchronized void add(ImportItem item, ImportOutcome outcome) {
            switch (outcome) {
                case ImportOutcome.Stored s -> {
                    if (s.replaced()) replaced++;
                    else stored++;
                }
                case ImportOutcome.AlreadyStored a -> alreadyStored++;
                case ImportOutcome.Refused r -> {
                    refused++;
                    if (refusals.size() < LISTED_REFUSALS) refusals.add(item.name() + ": " + r.reason());
                }
            }
        }

        synchronized void notDicom() {
            notDicom++;
        }

        synchronized void directory() {
            directories++;
        }

        synchronized void stop(String why) {
            if (stoppedBecause == null) stoppedBecause = why;
        }

        synchronized void print(PrintStream out) {
            out.printf("stored %,d, replaced %,d, already stored (skipped) %,d, refused %,d, not DICOM %,d, DICOMDIR (skipped) %,d%n",
                    stored, replaced, alreadyStored, refused, notDicom, directories);
            for (String r : refusals) out.println("refused: " + r);
            if (refused > refusals.size()) out.printf("refused: %,d more not listed%n", refused - refusals.size());
            if (stoppedBecause != null) out.println("stopped: " + stoppedBecause);
        }

        synchronized boolean clean() {
            return refused == 0 && stoppedBecause == null;
        }
    }

    private final Settings settings;
    private final ImportTarget target;
    private final ImportProgress progress;
    private final Summary summary = new Summary();

    ImportRun(Settings settings, ImportTarget target, ImportProgress progress) {
        this.settings = settings;
        this.target = target;
        this.progress = progress;
    }

    Summary run(ImportSources sources) throws IOException, InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(settings.parallel(), r -> new Thread(r, "import"));
        Semaphore waiting = new Semaphore(settings.parallel() * 2);
        List<ImportItem> batch = new ArrayList<>();
        long[] batchBytes = {0};
        try {
            sources.walk(item -> {
                if (summary.stoppedBecause != null) throw new StopWalk();
                batch.add(item);
                batchBytes[0] += Math.max(0, item.size());
                if (batch.size() >= settings.batchInstances() || batchBytes[0] >= settings.batchBytes()) {
                    submit(workers, waiting, List.copyOf(batch));
                    batch.clear();
                    batchBytes[0] = 0;
                }
            });
            if (!batch.isEmpty()) submit(workers, waiting, List.copyOf(batch));
        } catch (StopWalk stopped) {
            // a batch met a target that cannot go on; the summary says why
        } finally {
            workers.shutdown();
            while (!workers.awaitTermination(1, TimeUnit.MINUTES)) {
                // batches still storing: each ends within the target's request timeout
            }
        }
        return summary;
    }

    private void submit(ExecutorService workers, Semaphore waiting, List<ImportItem> items) throws InterruptedException {
        waiting.acquire();
        workers.execute(() -> {
            try {
                if (summary.stoppedBecause == null) store(items);
            } catch (IOException | RuntimeException e) {
                summary.stop(e.getMessage() == null ? e.toString() : e.getMessage());
            } catch (InterruptedException e) {
                summary.stop("interrupted");
            } finally {
                waiting.release();
            }
        });
    }

    private void store(List<ImportItem> items) throws IOException, InterruptedException {
        List<ImportTarget.Candidate> candidates = new ArrayList<>();
        for (ImportItem item : items) {
            ImportProbe probe;
            try {
                probe = ImportProbe.of(item);
            } catch (IOException e) {
                summary.add(item, new ImportOutcome.Refused("cannot read it: " + e.getMessage()));
                progress.done(item, false);
                continue;
            }
            switch (probe) {
                case ImportProbe.Instance i -> candidates.add(new ImportTarget.Candidate(item, i.sopInstanceUid()));
                case ImportProbe.Directory d -> {
                    summary.directory();
                    progress.done(item, false);
                }
                case ImportProbe.NotDicom n -> {
                    summary.notDicom();
                    progress.done(item, false);
                }
            }
        }
        if (!settings.replace()) candidates = skipStored(candidates);
        if (candidates.isEmpty()) return;
        List<ImportOutcome> outcomes = target.store(candidates);
        for (int i = 0; i < candidates.size(); i++) {
            summary.add(candidates.get(i).item(), outcomes.get(i));
            progress.done(candidates.get(i).item(), outcomes.get(i) instanceof ImportOutcome.Stored);
        }
    }

    /** Resuming: what the archive holds is not sent again (one look-up per batch, not the bytes of every file). */
    private List<ImportTarget.Candidate> skipStored(List<ImportTarget.Candidate> candidates) throws IOException, InterruptedException {
        Set<String> uids = new LinkedHashSet<>();
        for (ImportTarget.Candidate c : candidates) if (c.sopInstanceUid() != null) uids.add(c.sopInstanceUid());
        Set<String> stored = target.alreadyStored(uids);
        if (stored.isEmpty()) return candidates;
        List<ImportTarget.Candidate> rest = new ArrayList<>();
        for (ImportTarget.Candidate c : candidates) {
            if (c.sopInstanceUid() != null && stored.contains(c.sopInstanceUid())) {
                summary.add(c.item(), new ImportOutcome.AlreadyStored());
                progress.done(c.item(), false);
            } else {
                rest.add(c);
            }
        }
        return rest;
    }

    /** Ends the walk once a batch has stopped the import. */
    private static final class StopWalk extends RuntimeException {
        StopWalk() {
            super(null, null, false, false);
        }
    }
}
