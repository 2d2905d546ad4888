package dev.stratus.app.tools;

import dev.stratus.app.DataDirOptions;
import dev.stratus.app.config.StratusConfig;
import dev.stratus.archive.Archive;
import dev.stratus.archive.IndexRebuild;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/** stratus reindex --from-storage: the index made again from the stored objects alone, the disaster-recovery path. */
@Command(name = "reindex", mixinStandardHelpOptions = true,
        description = {"Rebuild the index (the embedded one, or --index-url / the configured one) from the stored objects alone: every "
                + "instance blob's header is read and indexed again, an older copy of an instance giving way to the newer. "
                + "For an index that was lost or damaged; run it with the server stopped. Series metadata documents are "
                + "rebuilt by the server's metadata worker afterwards.",
                "Exit status 0 when every instance was indexed, 1 when some blob was left out for a fault (each is named), 2 for bad options."})
public final class ReindexCommand implements Callable<Integer> {
    @Option(names = "--from-storage", required = true, description = "Read every stored object (the only source there is today; named so that the command says what it does)")
    boolean fromStorage;

    @Option(names = "--index-url", description = "Index database URL (default: embedded SQLite; env STRATUS_INDEX_URL)")
    String indexUrl;

    @Mixin
    DataDirOptions options;

    @Override
    public Integer call() {
        PrintStream out = System.out, err = System.err;
        try {
            StratusConfig config = options.load(indexUrl);
            IndexRebuild.Result result;
            try (Archive.Contents contents = Archive.openContents(config.archive())) {
                result = new IndexRebuild(contents.store(), contents.index()).fromStorage(out::println);
            }
            out.printf("indexed %,d instances from %s; %,d blobs left out, %,d older copies left out (orphans: stratus check --repair removes them); "
                    + "%,d instances stored again to give their study or series its newest blob's attributes%n",
                    result.indexed(), config.storageUrl(), result.skipped(), result.superseded(), result.mended());
            return result.skipped() == 0 ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            return DataDirOptions.failed("reindex", e);
        }
    }
}
