package dev.stratus.archive.retrieve;

import dev.stratus.archive.Archive;
import dev.stratus.archive.ingest.IngestServiceTest;
import dev.stratus.codec.Uids;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A series' blobs, not in the page cache (large objects are written past it), are there after its prefetch, as
 * util-linux's fincore sees them: what a series metadata request starts before a viewer asks for the frames.
 */
class SeriesPrefetchTest {
    @TempDir
    Path dir;

    @Test
    void prefetchOfASeriesBringsItsBlobsIntoThePageCache() throws Exception {
        boolean tools = System.getProperty("os.name").startsWith("Linux") && Files.isExecutable(Path.of("/usr/bin/fincore"))
                && Files.isExecutable(Path.of("/usr/bin/dd"));
        if (!tools && "true".equals(System.getenv("CI"))) throw new IllegalStateException("fincore and dd (util-linux, coreutils) are missing");
        assumeTrue(tools, "fincore or dd missing (util-linux, coreutils): prefetch test skipped");
        try (Archive archive = Archive.open(Archive.Settings.in(dir))) {
            String study = Uids.generate(), series = Uids.generate();
            for (int i = 0; i < 3; i++) {
                byte[] file = IngestServiceTest.instance(study, series, Uids.generate(), "Patient^" + i, 600_000);
                archive.ingest().ingest(TenantId.DEFAULT, new ByteArrayInputStream(file), null, "test");
            }
            List<Path> blobs;
            try (var files = Files.walk(dir)) {
                blobs = files.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".dcm") && f.toFile().length() > 600_000).toList();
            }
            assertEquals(3, blobs.size(), "the three stored objects: " + blobs);
            for (Path blob : blobs) run("dd", "if=" + blob, "iflag=nocache", "count=0", "status=none"); // drops their pages
            assumeTrue(resident(blobs) == 0, "this kernel kept the files' pages after dd's nocache: nothing to show");

            archive.retrieve().prefetchSeries(TenantId.DEFAULT, study, series);
            long expected = 0, resident = 0;
            for (Path blob : blobs) expected += Files.size(blob);
            for (int i = 0; i < 100 && resident < expected; i++) { // the kernel reads ahead on its own time
                resident = resident(blobs);
                if (resident < expected) Thread.sleep(50);
            }
            assertTrue(resident >= expected, "every blob of the series is in the page cache after its prefetch (whole pages): "
                    + resident + " of " + expected + " bytes");
        }
    }

    private static long resident(List<Path> files) throws Exception {
        long sum = 0;
        for (Path f : files) sum += Long.parseLong(run("fincore", "--bytes", "--noheadings", "--output", "RES", f.toString()).strip());
        return sum;
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " hung");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
