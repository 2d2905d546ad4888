package dev.stratus.index.sql;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.index.Index;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded index keeps what it acknowledged through a crash: a child JVM stores instances and halts at
 * once (no shutdown hook, no close), as a killed process would; a fresh open must find every one of them.
 * (H2, the embedded index before SQLite, kept commits in memory for up to a second: this failed then.)
 */
class SqliteCrashDurabilityTest {
    static final int INSTANCES = 20;

    /** The child: stores INSTANCES instances one transaction each, says so, and dies without closing anything. */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true);
        for (int i = 1; i <= INSTANCES; i++) {
            DataSet ds = new DataSet();
            ds.setString(0x00100010, VR.PN, "Crash^Test");
            ds.setString(0x00080060, VR.CS, "CT");
            index.store(List.of(new InstanceRecord(TenantId.DEFAULT, "1.2.3", "1.2.3.4", "1.2.3.4." + i,
                    "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1", "blob/" + i, 100, ds)));
        }
        System.out.println("acknowledged " + INSTANCES);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    @Test
    void acknowledgedStoresSurviveAProcessThatDiesRightAfter(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SqliteCrashDurabilityTest.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child finished");
        assertTrue(output.contains("acknowledged " + INSTANCES), output);
        try (Index index = SqlIndex.open(SqlIndex.embeddedUrl(dir), null, null, true)) {
            assertEquals(INSTANCES, index.listInstances(TenantId.DEFAULT, "1.2.3", null).size());
        }
    }
}
