package dev.stratus.loadtest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    private static Results server(String name, double stow, double secondStow, double readySeconds, double frameP50) {
        Results r = new Results();
        r.put("server", name);
        r.put("corpus", "1,000 instances");
        r.put("clients", 4);
        r.put("batch", 20);
        r.put("warmup.rounds", 0);
        r.put("start.ready_s", readySeconds);
        r.put("stow.instances", 1000);
        r.put("stow.instances_per_s", stow);
        r.put("second.stow.instances", 1000);
        r.put("second.stow.instances_per_s", secondStow);
        r.put("viewer.pass1.frame.p50_ms", frameP50);
        return r;
    }

    private static String report(Results a, Results b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoadTest.Report.print(new PrintStream(out, true, StandardCharsets.UTF_8), a, b);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String row(String report, String label) {
        return report.lines().filter(l -> l.startsWith("| " + label + " ")).findFirst().orElseThrow(() -> new AssertionError("no row " + label + " in\n" + report));
    }

    @Test
    void coldRunIsJudgedAgainstTheColdTargetsAndTheSecondCorpusAgainstItsOwn() {
        String report = report(server("Stratus", 110, 150, 0.8, 4), server("Orthanc", 100, 100, 1.5, 10));
        assertTrue(report.contains("(cold: no warm-up)"), report);
        assertTrue(row(report, "cold: STOW instances/s").contains(">= 1.00 | yes"), "1.1x meets the cold target of 1x");
        assertTrue(row(report, "second: STOW instances/s").contains(">= 2.00 |  NO"), "1.5x misses the second corpus' 2x");
        assertTrue(row(report, "viewer 1st pass: frame p50 ms").contains("<= 0.50 | yes"), "0.4 of Orthanc's p50");
    }

    @Test
    void timeToReadyIsJudgedOnTheServersOwnFigureNotTheRatio() {
        String fast = report(server("Stratus", 100, 100, 0.9, 4), server("Orthanc", 100, 100, 0.1, 10));
        assertTrue(row(fast, "process start to ready, s").endsWith("yes |"), "0.9 s meets 1 s though 9x Orthanc's");
        String slow = report(server("Stratus", 100, 100, 2.5, 4), server("Orthanc", 100, 100, 5.0, 10));
        assertTrue(row(slow, "process start to ready, s").endsWith("NO |"), "2.5 s misses 1 s though half Orthanc's");
    }

    @Test
    void warmRunKeepsTheWarmTargets() {
        Results a = server("Stratus", 250, 250, 1, 4), b = server("Orthanc", 100, 100, 1, 10);
        a.put("warmup.rounds", 10);
        b.put("warmup.rounds", 10);
        String report = report(a, b);
        assertTrue(row(report, "STOW instances/s").contains(">= 2.00 | yes"), report);
        assertFalse(report.contains("| cold:"), "no cold rows after warm-up rounds");
    }

    @Test
    void wholeStudyRetrieveIsJudgedAgainstOrthancAndAgainstTheDisksSequentialRead() {
        Results a = server("Stratus", 100, 100, 1, 4), b = server("Orthanc", 100, 100, 1, 10);
        a.put("study.cold.mb_per_s", 90);
        b.put("study.cold.mb_per_s", 40);
        a.put("disk.seq_read_mb_per_s", 200);
        b.put("disk.seq_read_mb_per_s", 200);
        String report = report(a, b);
        assertTrue(row(report, "whole-study retrieve MB/s, page cache dropped").contains(">= 2.00 | yes"), report);
        assertTrue(row(report, "  of the disk's sequential read").contains("0.45") && row(report, "  of the disk's sequential read").endsWith("NO |"),
                "90 of 200 MB/s misses half the disk's speed: " + report);
    }
}
