package dev.stratus.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a server process from /proc (Linux), to wait until its background work after the store
 * phase (Stratus' metadata worker, any server's indexing or flushing) is done before measuring reads.
 */
final class ProcessCpu {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ; 100 on every Linux build we run on

    private final long pid;

    ProcessCpu(long pid) {
        this.pid = pid;
    }

    /** User + system CPU seconds of the process (all its threads), or NaN if it cannot be read. */
    double cpuSeconds() {
        double[] us = userAndSystemSeconds();
        return us == null ? Double.NaN : us[0] + us[1];
    }

    /** {user, system} CPU seconds of the process, or null if they cannot be read. */
    double[] userAndSystemSeconds() {
        long[] t = cpuTicks(Path.of("/proc", Long.toString(pid), "stat"));
        return t == null ? null : new double[] {t[0] / TICKS_PER_SECOND, t[1] / TICKS_PER_SECOND};
    }

    /**
     * User + system CPU seconds of the process's JIT compiler threads (HotSpot names them "C1 CompilerThreadN" and
     * "C2 CompilerThreadN"; /proc shows the first 15 characters); 0 for a process without any (Orthanc).
     */
    double jitCompilerSeconds() {
        return jitCompilerSeconds(Path.of("/proc", Long.toString(pid), "task"));
    }

    static double jitCompilerSeconds(Path taskDir) {
        long ticks = 0;
        try (var tasks = Files.list(taskDir)) {
            for (Path task : tasks.toList()) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) continue;
                long[] t = cpuTicks(task.resolve("stat"));
                if (t != null) ticks += t[0] + t[1];
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** utime, stime, cutime, cstime (clock ticks) from a /proc/PID/stat file, or null if it cannot be read. */
    private static long[] cpuTicks(Path stat) {
        try {
            String text = Files.readString(stat);
            // fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Busy CPU seconds of the whole machine, all cores (user, nice, system, irq, softirq, steal), or NaN. */
    static double machineBusySeconds() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (!line.startsWith("cpu ")) continue;
                String[] f = line.trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < f.length && i <= 8; i++) if (i != 4 && i != 5) busy += Long.parseLong(f[i]); // not idle, iowait
                return busy / TICKS_PER_SECOND;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }

    /** The 1-minute load average, or NaN. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** CPU seconds of this (the load generator's) process. */
    static double ownCpuSeconds() {
        return new ProcessCpu(ProcessHandle.current().pid()).cpuSeconds();
    }

    /**
     * User + system CPU seconds of this process's children that have ended and been waited for (cutime + cstime:
     * the storescu processes of the DIMSE phase once {@link Process#onExit()} completed), or NaN.
     */
    static double ownChildrenCpuSeconds() {
        long[] t = cpuTicks(Path.of("/proc/self/stat"));
        return t == null ? Double.NaN : (t[2] + t[3]) / TICKS_PER_SECOND;
    }

    /** Resident memory in bytes (VmRSS), or -1. */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // gone or not Linux
        }
        return -1;
    }

    /**
     * Waits until the process used less than {@code busyFraction} of one core in each second of a window of
     * {@code quietSeconds} consecutive seconds, at most {@code maxSeconds} in all. Returns the seconds
     * until the quiet window began (the background work's duration), or -1 if it never became quiet.
     */
    double awaitQuiet(int quietSeconds, double busyFraction, int maxSeconds, PrintStream log) throws InterruptedException {
        long start = System.nanoTime();
        double last = cpuSeconds();
        if (Double.isNaN(last)) {
            log.println("  (cannot read /proc/" + pid + "/stat: not waiting for background work)");
            return -1;
        }
        int quiet = 0;
        double busySince = 0;
        for (int second = 1; second <= maxSeconds; second++) {
            Thread.sleep(1000);
            double now = cpuSeconds();
            if (Double.isNaN(now)) return -1;
            double delta = now - last;
            if (delta < busyFraction) {
                quiet++;
            } else {
                quiet = 0;
                busySince = (System.nanoTime() - start) / 1e9;
            }
            last = now;
            if (quiet >= quietSeconds) return busySince;
            if (second % 30 == 0) log.printf("  still busy after %d s (%.2f CPU s in the last second)%n", second, delta);
        }
        return -1;
    }
}
