package dev.stratus.app.tools;

import dev.stratus.app.DataDirOptions;
import dev.stratus.app.config.ConfigException;
import dev.stratus.app.config.StratusConfig;
import dev.stratus.archive.Archive;
import dev.stratus.index.TenantId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** stratus import: loads files, folders and zip archives into a running server (STOW-RS) or, with the server stopped, into the archive directly. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import DICOM files, folders (recursively), zip archives and DICOMDIR media into a running server (--url, over STOW-RS) "
                + "or, with the server stopped, directly into the configured archive (--data-dir / --config).",
                "Instances already stored (by SOP Instance UID) are skipped, so an interrupted import can be run again. "
                        + "Exit status 0 when everything was stored or skipped, 1 when anything was refused or the import stopped, 2 for bad options."})
public final class ImportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files, folders, zip archives or DICOMDIR files")
    List<Path> paths;

    @Option(names = "--url", paramLabel = "URL", description = "DICOMweb root of a running server, e.g. http://localhost:8080/dicomweb "
            + "(a tenant's: http://HOST/tenants/T/dicomweb); without it, the archive of --data-dir / --config is written directly")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token for --url when authorization is on (default: env STRATUS_TOKEN, which keeps it out of the process list)")
    String token;

    @Option(names = "--tenant", paramLabel = "T", description = "Tenant to import into when writing the archive directly (default: default)")
    String tenant;

    @Option(names = "--index-url", description = "Index database URL when writing directly (default: embedded SQLite; env STRATUS_INDEX_URL)")
    String indexUrl;

    @Mixin
    DataDirOptions options;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "Batches stored at once, 1 to 64 (default ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "Instances per STOW-RS request or index transaction, 1 to 1000 (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--replace", description = "Send instances the archive holds already (they are replaced) instead of skipping them")
    boolean replace;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600", description = "How long one STOW-RS request may take (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    /** A batch's bytes at most: a request of large instances ends (and is acknowledged) within reasonable time. */
    private static final long BATCH_BYTES = 256L << 20;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        if (parallel < 1 || parallel > 64 || batch < 1 || batch > 1000 || timeoutSeconds < 1) {
            err.println("stratus import: --parallel must be 1 to 64, --batch 1 to 1000, --timeout at least 1");
            return 2;
        }
        if (url != null && (tenant != null || indexUrl != null)) {
            err.println("stratus import: --tenant and --index-url are for writing the archive directly; with --url, name the tenant's DICOMweb root");
            return 2;
        }
        if (tenant != null && !TenantId.isValid(tenant)) {
            err.println("stratus import: --tenant " + tenant + " is not a tenant name (1 to 64 of A-Z a-z 0-9 . _ -)");
            return 2;
        }
        try (ImportSources sources = new ImportSources(paths); ImportTarget target = openTarget()) {
            ImportSources.Totals totals = sources.count();
            err.printf("stratus import: %,d files (%,.1f MB) into %s%n", totals.items(), totals.bytes() / 1e6, target.describe());
            ImportRun.Summary summary;
            try (ImportProgress progress = new ImportProgress(totals, err, System.console() != null && System.console().isTerminal())) {
                summary = new ImportRun(new ImportRun.Settings(parallel, batch, BATCH_BYTES, replace), target, progress).run(sources);
            }
            summary.print(System.out);
            System.out.flush();
            return summary.clean() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            return DataDirOptions.failed("import", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("stratus import: interrupted");
            return 1;
        }
    }

    private ImportTarget openTarget() throws ConfigException, IOException {
        if (url != null) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) throw new IOException("--url must be an http:// or https:// URL, was " + url);
            String t = token != null ? token : System.getenv("STRATUS_TOKEN");
            return new StowTarget(url, t == null || t.isBlank() ? null : t.strip(), Duration.ofSeconds(timeoutSeconds));
        }
        StratusConfig config = options.load(indexUrl);
        // No metadata worker here: the server builds the documents of the series this changes when it runs again.
        Archive archive = Archive.open(config.archive().withMetadataWorker(null));
        String where = "the archive in " + config.dataDir().toAbsolutePath().normalize()
                + (config.index().url() == null ? "" : " (index " + config.index().url() + ")");
        return new ArchiveTarget(archive, tenant == null ? TenantId.DEFAULT : new TenantId(tenant), where);
    }
}
