package dev.stratus.app.tools;

import dev.stratus.app.DataDirOptions;
import dev.stratus.app.config.StratusConfig;
import dev.stratus.archive.Archive;
import dev.stratus.archive.retrieve.InstanceHeader;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** stratus export: a study's instances, as stored, into a folder or a zip archive, optionally as a DICOMDIR file set. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a study's instances, byte for byte as stored (Part 10 files), into a new folder or a zip archive "
                + "(--to ending in .zip, streamed). With --dicomdir the files are named as a PS3.10 file set (DICOM/Snnnn/Innnnnn) "
                + "and a DICOMDIR indexes them. Reads the archive of --data-dir / --config; may run beside a server.",
                "Exit status 0 when exported, 1 when the study is not there or writing failed, 2 for bad options."})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--study", required = true, paramLabel = "UID", description = "Study Instance UID")
    String study;

    @Option(names = "--tenant", paramLabel = "T", description = "Tenant of the study (default: default)")
    String tenant;

    @Option(names = "--to", required = true, paramLabel = "DIR|FILE.zip", description = "A folder that does not exist or is empty, or a zip file that does not exist")
    Path to;

    @Option(names = "--dicomdir", description = "Name the files as a DICOM file set and write its DICOMDIR (PS3.10, PS3.3 Annex F)")
    boolean dicomdir;

    @Option(names = "--index-url", description = "Index database URL (default: embedded SQLite; env STRATUS_INDEX_URL)")
    String indexUrl;

    @Mixin
    DataDirOptions options;

    /** Where the files go: a folder, or the entries of a zip archive. */
    private interface Destination extends AutoCloseable {
        OutputStream create(String path) throws IOException;

        void done() throws IOException;

        @Override
        void close() throws IOException;
    }

    @Override
    public Integer call() {
        PrintStream err = System.err;
        if (tenant != null && !TenantId.isValid(tenant)) {
            err.println("stratus export: --tenant " + tenant + " is not a tenant name (1 to 64 of A-Z a-z 0-9 . _ -)");
            return 2;
        }
        TenantId t = tenant == null ? TenantId.DEFAULT : new TenantId(tenant);
        try {
            StratusConfig config = options.load(indexUrl);
            if (config.index().url() == null && !Files.isDirectory(config.dataDir())) {
                err.println("stratus export: no archive in " + config.dataDir().toAbsolutePath().normalize() + " (give --data-dir or --config)");
                return 2;
            }
            boolean zip = to.getFileName() != null && to.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
            if (zip ? Files.exists(to) : Files.exists(to) && (!Files.isDirectory(to) || !isEmpty(to))) {
                err.println("stratus export: " + to + " exists" + (zip ? "" : " and is not an empty folder") + "; nothing is overwritten");
                return 2;
            }
            try (Archive.Contents contents = Archive.openContents(config.archive())) {
                List<StoredInstance> instances = contents.index().listInstances(t, study, null);
                if (instances.isEmpty()) {
                    err.println("stratus export: no study " + study + " in tenant " + t.name());
                    return 1;
                }
                long bytes = export(contents, instances, zip);
                System.out.printf("exported %,d instances (%,.1f MB) of study %s to %s%s%n", instances.size(), bytes / 1e6, study, to,
                        dicomdir ? " with a DICOMDIR" : "");
                return 0;
            }
        } catch (IOException | RuntimeException e) {
            return DataDirOptions.failed("export", e);
        }
    }

    private long export(Archive.Contents contents, List<StoredInstance> instances, boolean zip) throws IOException {
        RetrieveService retrieve = new RetrieveService(contents.index(), contents.store());
        DicomDirectory directory = dicomdir ? new DicomDirectory() : null;
        Map<String, Integer> seriesNumbers = new LinkedHashMap<>();
        long bytes = 0;
        int n = 0;
        try (Destination dest = zip ? zipFile() : folder()) {
            for (StoredInstance i : instances) {
                n++;
                String[] fileId = dicomdir
                        ? new String[] {"DICOM", String.format("S%04d", seriesNumbers.computeIfAbsent(i.seriesUid(), s -> seriesNumbers.size() + 1)),
                                String.format("I%07d", n)}
                        : new String[] {i.seriesUid(), i.sopInstanceUid() + ".dcm"};
                try (InputStream in = contents.store().open(i.blobKey()); OutputStream out = dest.create(String.join("/", fileId))) {
                    bytes += in.transferTo(out);
                }
                if (directory != null) {
                    InstanceHeader h = retrieve.header(i);
                    directory.add(h.dataSet(), i.transferSyntaxUid(), fileId);
                }
            }
            if (directory != null) {
                try (OutputStream out = dest.create("DICOMDIR")) {
                    out.write(directory.encode());
                }
            }
            dest.done();
        }
        return bytes;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private Destination folder() {
        return new Destination() {
            public OutputStream create(String path) throws IOException {
                Path file = to.resolve(path);
                Files.createDirectories(file.getParent());
                return new BufferedOutputStream(Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE_NEW), 64 * 1024);
            }

            public void done() {}

            public void close() {}
        };
    }

    /** Written under a temporary name and renamed when complete: a zip that is there is whole. */
    private Destination zipFile() throws IOException {
        Path part = to.resolveSibling(to.getFileName() + ".part");
        ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(part), 64 * 1024));
        return new Destination() {
            boolean done;

            public OutputStream create(String path) throws IOException {
                zip.putNextEntry(new ZipEntry(path));
                return new java.io.FilterOutputStream(zip) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        zip.closeEntry();
                    }
                };
            }

            public void done() throws IOException {
                zip.close();
                Files.move(part, to, StandardCopyOption.ATOMIC_MOVE);
                done = true;
            }

            public void close() throws IOException {
                if (done) return;
                try {
                    zip.close();
                } finally {
                    Files.deleteIfExists(part);
                }
            }
        };
    }
}
