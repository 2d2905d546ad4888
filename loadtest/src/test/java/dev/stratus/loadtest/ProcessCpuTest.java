package dev.stratus.loadtest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProcessCpuTest {
    @Test
    void theJitCompilerThreadsOfThisJvmAreFoundAndOnlyThey() throws Exception {
        // this test runs on HotSpot: its compiler threads have compiled something by now
        double jit = ProcessCpu.jitCompilerSeconds(java.nio.file.Path.of("/proc/self/task"));
        double all = ProcessCpu.ownCpuSeconds();
        org.junit.jupiter.api.Assertions.assertTrue(jit > 0 && jit <= all, "JIT " + jit + " s of " + all + " s");
        java.nio.file.Path fake = java.nio.file.Files.createTempDirectory("task");
        try {
            writeTask(fake, "1", "C2 CompilerThre", 300, 50);
            writeTask(fake, "2", "C1 CompilerThre", 20, 5);
            writeTask(fake, "3", "qtp-worker", 999, 999);
            assertEquals(3.75, ProcessCpu.jitCompilerSeconds(fake), 1e-9);
        } finally {
            try (var files = java.nio.file.Files.walk(fake)) {
                for (var p : files.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(p);
            }
        }
    }

    private static void writeTask(java.nio.file.Path dir, String tid, String comm, long utime, long stime) throws Exception {
        java.nio.file.Path task = java.nio.file.Files.createDirectories(dir.resolve(tid));
        java.nio.file.Files.writeString(task.resolve("comm"), comm + "\n");
        java.nio.file.Files.writeString(task.resolve("stat"),
                tid + " (" + comm + ") S 1 1 1 0 -1 4194560 0 0 0 0 " + utime + " " + stime + " 0 0 20 0 1 0 100 0 0\n");
    }
}
