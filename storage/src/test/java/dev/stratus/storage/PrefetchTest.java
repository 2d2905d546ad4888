package dev.stratus.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A local blob that is not in the page cache is there after prefetch, as util-linux's fincore sees it. */
class PrefetchTest {
    @TempDir
    Path dir;

    @Test
    void prefetchBringsALocalBlobIntoThePageCache() throws Exception {
        boolean tools = System.getProperty("os.name").startsWith("Linux") && Files.isExecutable(Path.of("/usr/bin/fincore"))
                && Files.isExecutable(Path.of("/usr/bin/dd"));
        if (!tools && "true".equals(System.getenv("CI"))) throw new IllegalStateException("fincore and dd (util-linux, coreutils) are missing");
        assumeTrue(tools, "fincore or dd missing (util-linux, coreutils): prefetch test skipped");
        byte[] data = new byte[8 << 20];
        new Random(7).nextBytes(data);
        try (LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"))) {
            store.put("a/b", new ByteArrayInputStream(data)); // forced: its pages are clean and can be dropped
            Path file;
            try (var files = Files.walk(dir.resolve("blobs"))) {
                file = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            }
            run("dd", "if=" + file, "iflag=nocache", "count=0", "status=none"); // drops the file's pages
            assumeTrue(resident(file) == 0, "this kernel kept the file's pages after dd's nocache: nothing to show");

            store.prefetch("a/b");
            long resident = 0;
            for (int i = 0; i < 100 && resident < data.length; i++) { // the kernel reads ahead on its own time
                resident = resident(file);
                if (resident < data.length) Thread.sleep(50);
            }
            assertEquals(data.length, resident, "the whole blob is in the page cache after prefetch");
            store.prefetch("no/such-blob"); // a hint: a missing blob is no error
        }
    }

    private static long resident(Path file) throws Exception {
        return Long.parseLong(run("fincore", "--bytes", "--noheadings", "--output", "RES", file.toString()).strip());
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " hung");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
