package dev.stratus.bench;

import dev.stratus.codec.DicomReader;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.loadtest.Samples;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs {@link CodecBenchmark} (or what JMH's usual command-line options select) and then prints, for each
 * benchmark, files/s with JMH's error, the bytes one operation covers, MB/s (10^6 bytes) and, when run with
 * {@code -prof gc}, the bytes allocated per file. Used by {@code scripts/bench-codec}.
 */
public final class RunCodecBenchmarks {
    /** The goal for a CT header parse from memory on one core. */
    static final double HEADER_TARGET_PER_SECOND = 100_000;

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--describe")) {
            describe();
            return;
        }
        CommandLineOptions cli = new CommandLineOptions(args);
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
        if (cli.getIncludes().isEmpty()) options.include(CodecBenchmark.class.getName() + "\\.");
        Collection<RunResult> results = new Runner(options.build()).run();
        if (results.isEmpty()) return;

        Map<String, Long> bytesPerOp = bytesPerOperation();
        System.out.println();
        System.out.println("Derived figures (one thread; MB = 10^6 bytes; +- is JMH's 99.9% error):");
        System.out.printf("%-18s %26s %12s %10s %11s %14s%n", "benchmark", "files/s", "bytes/file", "MB/s", "us/file", "alloc B/file");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String shortName = name.substring(name.lastIndexOf('.') + 1);
            Result<?> primary = r.getPrimaryResult();
            if (!"ops/s".equals(primary.getScoreUnit())) {
                System.out.printf("%-18s (score in %s: run in throughput mode, ops/s, for derived figures)%n", shortName, primary.getScoreUnit());
                continue;
            }
            double perSecond = primary.getScore(), error = primary.getScoreError();
            Long bytes = bytesPerOp.get(shortName);
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            System.out.printf("%-18s %26s %12s %10s %11.2f %14s%n", shortName,
                    Double.isNaN(error) ? String.format("%,.0f", perSecond) : String.format("%,.0f +- %,.0f", perSecond, error),
                    bytes == null ? "?" : String.format("%,d", bytes),
                    bytes == null ? "?" : String.format("%,.1f", perSecond * bytes / 1e6),
                    1e6 / perSecond,
                    alloc == null ? "-" : String.format("%,.0f", alloc.getScore()));
        }
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            if (!name.endsWith(".ctHeaderExplicit") || !"ops/s".equals(r.getPrimaryResult().getScoreUnit())) continue;
            double perSecond = r.getPrimaryResult().getScore();
            System.out.printf("%nTarget: >= %,.0f CT headers/s on one core from memory, pixel bytes untouched: %s (%,.0f/s = %.0f%% of target)%n",
                    HEADER_TARGET_PER_SECOND, perSecond >= HEADER_TARGET_PER_SECOND ? "MET" : "MISSED",
                    perSecond, 100 * perSecond / HEADER_TARGET_PER_SECOND);
        }
    }

    /** What each benchmark's operation covers: the header (up to the Pixel Data value) or the whole file written/read. */
    static Map<String, Long> bytesPerOperation() {
        byte[] explicit = Samples.file(Samples.ct(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] implicit = Samples.file(Samples.ct(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        byte[] sr = Samples.file(Samples.structuredReport(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] header = Samples.file(Samples.ctHeader(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        HeaderOnlyCheck.Result e = HeaderOnlyCheck.verify(explicit), i = HeaderOnlyCheck.verify(implicit);
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("ctHeaderExplicit", e.headerBytes());
        m.put("ctHeaderImplicit", i.headerBytes());
        m.put("ctWholeExplicit", (long) explicit.length);
        m.put("ctWholeImplicit", (long) implicit.length);
        m.put("srWhole", (long) sr.length);
        m.put("ctHeaderWrite", (long) header.length);
        return m;
    }

    /** Prints the samples' sizes and the header-only proof, without running JMH ({@code --describe}). */
    static void describe() throws Exception {
        var ct = Samples.ct();
        var srDs = Samples.structuredReport();
        byte[] explicit = Samples.file(ct, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] implicit = Samples.file(ct, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        byte[] sr = Samples.file(srDs, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        System.out.printf("CT: %d top-level attributes (%d with the sequence items' own), explicit file %,d B, implicit file %,d B%n",
                Samples.ctHeader().size(), Samples.countAttributes(Samples.ctHeader()), explicit.length, implicit.length);
        System.out.println("CT explicit: " + HeaderOnlyCheck.verify(explicit));
        System.out.println("CT implicit: " + HeaderOnlyCheck.verify(implicit));
        System.out.printf("SR: %,d content items, %,d attributes, file %,d B; reads back equal: %s%n",
                Samples.countContentItems(srDs), Samples.countAttributes(srDs), sr.length,
                new DicomReader(sr).readFile(ReadOptions.ALL).dataSet().equals(srDs));
    }
}
