package dev.stratus.app.tools;

import dev.stratus.app.DataDirOptions;
import dev.stratus.app.config.StratusConfig;
import dev.stratus.archive.Archive;
import dev.stratus.archive.IndexRebuild;
import dev.stratus.index.Index;
import dev.stratus.index.IndexFactory;
import dev.stratus.index.StoredInstance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/** stratus move-index --to URL: the whole index copied from the configured backend into another, then verified. */
@Command(name = "move-index", mixinStandardHelpOptions = true,
        description = {"Copy the index from the configured backend (the embedded SQLite one, or --index-url) into another, empty one "
                + "(--to jdbc:postgresql://..., jdbc:mysql://..., jdbc:mariadb://..., mongodb://...), with the server stopped. "
                + "Each instance is read again from its stored object, so the target holds exactly the source's instances with "
                + "every attribute; series metadata documents are rebuilt by the target's metadata worker. Verified by counts "
                + "and a sample of instances compared in full. Then point index.url at the target.",
                "Exit status 0 when copied and verified, 1 otherwise, 2 for bad options."})
public final class MoveIndexCommand implements Callable<Integer> {
    /** Instances compared field by field after the copy, spread evenly over the index. */
    static final int SAMPLE = 100;

    @Option(names = "--to", required = true, paramLabel = "URL", description = "The target index database")
    String to;

    @Option(names = "--to-user", description = "User of the target database")
    String toUser;

    @Option(names = "--to-password", description = "Password of the target database (default: env STRATUS_TO_INDEX_PASSWORD, which keeps it out of the process list)")
    String toPassword;

    @Option(names = "--index-url", description = "The source index database (default: the embedded SQLite one; env STRATUS_INDEX_URL)")
    String indexUrl;

    @Mixin
    DataDirOptions options;

    @Override
    public Integer call() {
        PrintStream out = System.out, err = System.err;
        try {
            StratusConfig config = options.load(indexUrl);
            if (to.equals(config.index().url())) {
                err.println("stratus move-index: --to names the index it would copy from");
                return 2;
            }
            String password = toPassword != null ? toPassword : System.getenv("STRATUS_TO_INDEX_PASSWORD");
            try (Archive.Contents source = Archive.openContents(config.archive());
                 Index target = IndexFactory.open(to, toUser, password, true, false)) {
                if (!target.instancesAfter(null, 1).isEmpty()) {
                    err.println("stratus move-index: the index at " + to + " is not empty; a move needs a fresh database");
                    return 1;
                }
                IndexRebuild.Result result = new IndexRebuild(source.store(), target).fromIndex(source.index(), out::println);
                out.printf("copied %,d instances into %s; %,d left out; %,d study or series rows given their source's attributes again%n",
                        result.indexed(), to, result.skipped(), result.mended());
                String verified = verify(source.index(), target);
                out.println(verified == null ? "verified: the same instances, and a sample of them equal field by field" : "NOT verified: " + verified);
                return verified == null && result.skipped() == 0 ? 0 : 1;
            }
        } catch (IOException | RuntimeException e) {
            return DataDirOptions.failed("move-index", e);
        }
    }

    /** Null when both hold as many instances and series and the sampled instances are equal; otherwise what differs. */
    static String verify(Index source, Index target) {
        long sourceCount = count(source), targetCount = count(target);
        if (sourceCount != targetCount) return "the source holds " + sourceCount + " instances, the target " + targetCount;
        long every = Math.max(1, sourceCount / SAMPLE), n = 0;
        StoredInstance last = null;
        for (List<StoredInstance> page; !(page = source.instancesAfter(last, 500)).isEmpty(); last = page.getLast()) {
            for (StoredInstance i : page) {
                if (n++ % every != 0) continue;
                Optional<StoredInstance> copy = target.findInstance(i.tenant(), i.studyUid(), i.seriesUid(), i.sopInstanceUid());
                if (!copy.equals(Optional.of(i))) return "instance " + i.sopInstanceUid() + " is " + i + " in the source, " + copy.orElse(null) + " in the target";
                if (!Objects.equals(source.seriesState(ref(i)).map(s -> s.instanceCount()), target.seriesState(ref(i)).map(s -> s.instanceCount()))) {
                    return "series " + i.seriesUid() + " counts differ";
                }
            }
        }
        return null;
    }

    private static dev.stratus.index.SeriesRef ref(StoredInstance i) {
        return new dev.stratus.index.SeriesRef(i.tenant(), i.studyUid(), i.seriesUid());
    }

    private static long count(Index index) {
        long n = 0;
        StoredInstance last = null;
        for (List<StoredInstance> page; !(page = index.instancesAfter(last, 500)).isEmpty(); last = page.getLast()) n += page.size();
        return n;
    }
}
