package dev.stratus.index.sql;

import dev.stratus.index.Index;
import dev.stratus.index.TenantId;
import dev.stratus.index.TestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `stratus compact`'s work: the embedded index file shrinks and keeps every row; never while it is open. */
class EmbeddedCompactionTest {
    @TempDir
    Path dir;

    @Test
    void compactionShrinksTheFileAndKeepsEveryInstance() throws Exception {
        int studies = 40;
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true)) {
            for (int s = 0; s < studies; s++) {
                for (int i = 0; i < 10; i++) { // one durable commit each, as C-STORE makes them
                    index.store(List.of(TestInstance.of(TenantId.DEFAULT, "1.2.9." + s, "1.2.9." + s + ".1", "1.2.9." + s + ".1." + i)
                            .patient("Compact^Test", "C" + s).build()));
                }
            }
            // Half the studies deleted: SQLite keeps their pages as free space in the file until VACUUM.
            for (int s = 0; s < studies; s += 2) index.delete(TenantId.DEFAULT, "1.2.9." + s, null, null);
        }
        EmbeddedCompaction.Sizes sizes = EmbeddedCompaction.compact(dir);
        assertTrue(sizes.after() < sizes.before(), sizes.toString());
        assertEquals(sizes.after(), Files.size(dir.resolve("index").resolve("stratus.sqlite")));
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true)) {
            for (int s = 0; s < studies; s++) assertEquals(s % 2 == 0 ? 0 : 10, index.listInstances(TenantId.DEFAULT, "1.2.9." + s, null).size());
        }
    }

    /** A server stand-in: another process holding the index open until its stdin closes. */
    public static void main(String[] args) throws Exception {
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(Path.of(args[0])), null, null, true)) {
            index.checkReady();
            System.out.println("open");
            System.out.flush();
            System.in.read();
        }
    }

    @Test
    void anIndexInUseOrMissingIsRefusedWithTheReason() throws Exception {
        IOException missing = assertThrows(IOException.class, () -> EmbeddedCompaction.compact(dir.resolve("elsewhere")));
        assertTrue(missing.getMessage().contains("no embedded index"), missing.getMessage());
        assertTrue(Files.notExists(dir.resolve("elsewhere")), "nothing created where there was no index");

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process server = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EmbeddedCompactionTest.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream()))) {
            assertEquals("open", out.readLine(), "the other process opened the index");
            IOException inUse = assertThrows(IOException.class, () -> EmbeddedCompaction.compact(dir));
            assertTrue(inUse.getMessage().contains("stop the server first"), inUse.getMessage());
        } finally {
            server.getOutputStream().close();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the other process closed the index");
        }
    }
}
