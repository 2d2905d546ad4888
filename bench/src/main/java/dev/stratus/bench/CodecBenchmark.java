package dev.stratus.bench;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.loadtest.Samples;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Codec throughput, one thread (one core), from and to memory. Score = files (or documents) per second;
 * {@link RunCodecBenchmarks} turns it into MB/s with the byte counts of {@link Samples}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Thread)
public class CodecBenchmark {

    byte[] ctExplicit;
    byte[] ctImplicit;
    byte[] sr;
    DataSet ctHeader;
    final ReusableOutput out = new ReusableOutput();

    @Setup(Level.Trial)
    public void setup() {
        ctExplicit = Samples.file(Samples.ct(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        ctImplicit = Samples.file(Samples.ct(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        sr = Samples.file(Samples.structuredReport(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        ctHeader = Samples.ctHeader();
        // The header benchmarks are only meaningful if a header read leaves the pixel bytes alone.
        HeaderOnlyCheck.verify(ctExplicit);
        HeaderOnlyCheck.verify(ctImplicit);
    }

    /** CT header, Explicit VR Little Endian: stops before Pixel Data. */
    @Benchmark
    public DicomFile ctHeaderExplicit() throws DicomParseException {
        return new DicomReader(ctExplicit).readFile(ReadOptions.HEADER);
    }

    /** CT header, Implicit VR Little Endian (VRs from the dictionary). */
    @Benchmark
    public DicomFile ctHeaderImplicit() throws DicomParseException {
        return new DicomReader(ctImplicit).readFile(ReadOptions.HEADER);
    }

    /** The whole CT file, pixel data copied into memory, Explicit VR Little Endian. */
    @Benchmark
    public DicomFile ctWholeExplicit() throws DicomParseException {
        return new DicomReader(ctExplicit).readFile(ReadOptions.ALL);
    }

    /** The whole CT file, Implicit VR Little Endian. */
    @Benchmark
    public DicomFile ctWholeImplicit() throws DicomParseException {
        return new DicomReader(ctImplicit).readFile(ReadOptions.ALL);
    }

    /** The large nested structured report, read whole. */
    @Benchmark
    public DicomFile srWhole() throws DicomParseException {
        return new DicomReader(sr).readFile(ReadOptions.ALL);
    }

    /** DicomWriter.writeFile of the CT header (preamble, meta, data set; no pixel data) into memory. */
    @Benchmark
    public int ctHeaderWrite() throws IOException {
        out.reset();
        DicomWriter.writeFile(out, ctHeader, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
        return out.size();
    }

    /** A ByteArrayOutputStream that is reused between writes, so the benchmark measures the writer, not array growth. */
    static final class ReusableOutput extends ByteArrayOutputStream {
        ReusableOutput() {
            super(64 * 1024);
        }
    }
}
