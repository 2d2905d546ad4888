package dev.stratus.app.tools;

import dev.stratus.app.DataDirOptions;
import dev.stratus.app.config.StratusConfig;
import dev.stratus.archive.Archive;
import dev.stratus.archive.ConsistencyCheck;
import dev.stratus.index.SeriesState;
import dev.stratus.index.StoredInstance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.Callable;

/** stratus check: compares the index with the stored objects and, with --repair, mends what can be mended safely. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Compare the index with the stored objects: instances whose blob is missing or of the wrong size, series whose "
                + "instance count or metadata document is stale, and blobs no index row refers to (orphans) older than --grace.",
                "With --repair, old orphans are removed and stale metadata documents are queued for the server's metadata worker; "
                        + "missing or truncated blobs and wrong counts are reported for the operator. May run beside a server.",
                "Exit status 0 when no problem remains, 1 when some do, 2 for bad options."})
public final class CheckCommand implements Callable<Integer> {
    /** Problems of one kind listed one a line; beyond, counted. */
    static final int LISTED = 1000;

    @Mixin
    DataDirOptions options;

    @Option(names = "--index-url", description = "Index database URL (default: embedded SQLite; env STRATUS_INDEX_URL)")
    String indexUrl;

    @Option(names = "--repair", description = "Remove old orphans and queue stale metadata documents for rebuilding, and say so")
    boolean repair;

    // the orphan sweep's default grace (OrphanSweep.DEFAULT_GRACE)
    @Option(names = "--grace", paramLabel = "HOURS", defaultValue = "24",
            description = "How old an unreferenced blob or an unbuilt metadata document must be to count (default ${DEFAULT-VALUE}; "
                    + "longer than any store, so that a blob about to be indexed is never taken for an orphan)")
    double graceHours;

    @Override
    public Integer call() {
        PrintStream out = System.out, err = System.err;
        if (!(graceHours >= 0) || graceHours > 24 * 365) {
            err.println("stratus check: --grace must be 0 to 8760 hours, was " + graceHours);
            return 2;
        }
        try {
            StratusConfig config = options.load(indexUrl);
            if (config.index().url() == null && !Files.isDirectory(config.dataDir())) {
                err.println("stratus check: no archive in " + config.dataDir().toAbsolutePath().normalize() + " (give --data-dir or --config)");
                return 2;
            }
            Duration grace = Duration.ofMillis((long) (graceHours * 3_600_000));
            int[] listed = new int[5];
            ConsistencyCheck.Report report;
            try (Archive.Contents contents = Archive.openContents(config.archive())) {
                report = new ConsistencyCheck(contents.store(), contents.index()).run(grace, repair, f -> {
                    int kind = kind(f);
                    if (listed[kind]++ < LISTED) out.println(describe(f));
                });
            }
            out.printf("checked %,d instances, %,d series, %,d blobs (%,d younger than %s not judged)%n",
                    report.instances(), report.series(), report.blobs(), report.youngBlobs(), hours(grace));
            int more = 0;
            for (int n : listed) more += Math.max(0, n - LISTED);
            if (more > 0) out.printf("%,d more problems not listed%n", more);
            if (repair) out.printf("repaired %,d of %,d problems; %,d remain%n", report.repaired(), report.problems(), report.remaining());
            else out.printf("%,d problems%s%n", report.problems(), report.problems() > 0 ? " (stratus check --repair mends orphans and metadata documents)" : "");
            return report.remaining() == 0 ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            return DataDirOptions.failed("check", e);
        }
    }

    private static int kind(ConsistencyCheck.Finding f) {
        return switch (f) {
            case ConsistencyCheck.MissingBlob m -> 0;
            case ConsistencyCheck.WrongSize w -> 1;
            case ConsistencyCheck.WrongCount c -> 2;
            case ConsistencyCheck.StaleMetadata s -> 3;
            case ConsistencyCheck.Orphan o -> 4;
        };
    }

    static String describe(ConsistencyCheck.Finding f) {
        return switch (f) {
            case ConsistencyCheck.MissingBlob m -> "missing blob: " + instance(m.instance()) + " is indexed, its blob " + m.instance().blobKey()
                    + " is not in the store (restore it from a backup, or delete the instance)";
            case ConsistencyCheck.WrongSize w -> "wrong size: " + instance(w.instance()) + ": blob " + w.instance().blobKey() + " holds "
                    + w.storedSize() + " bytes, the index says " + w.instance().blobSize() + " (restore it from a backup, or delete the instance)";
            case ConsistencyCheck.WrongCount c -> "wrong count: " + series(c.series()) + " counts " + c.series().instanceCount()
                    + " instances, holds " + c.counted();
            case ConsistencyCheck.StaleMetadata s -> (s.repaired() ? "queued metadata rebuild: " : "stale metadata: ") + series(s.series()) + ": " + s.why();
            case ConsistencyCheck.Orphan o -> (o.repaired() ? "removed orphan: " : "orphan: ") + o.blob().key() + " (" + o.blob().size()
                    + " bytes, written " + o.blob().modified() + "), which no index row refers to";
        };
    }

    private static String instance(StoredInstance i) {
        return "instance " + i.sopInstanceUid() + " (tenant " + i.tenant().name() + ", study " + i.studyUid() + ", series " + i.seriesUid() + ")";
    }

    private static String series(SeriesState s) {
        return "series " + s.series().seriesUid() + " (tenant " + s.series().tenant().name() + ", study " + s.series().studyUid() + ")";
    }

    private static String hours(Duration d) {
        return d.toMinutes() % 60 == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }
}
