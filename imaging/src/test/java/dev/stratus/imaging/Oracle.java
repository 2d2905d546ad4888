package dev.stratus.imaging;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.codec.ValueElement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A decoder no one here wrote (DCMTK's dcmdjpeg, dcmdjpls, dcmdrle; GDCM's gdcmconv), run on a file. */
record Oracle(DataSet dataSet, byte[] pixels) {

    static boolean installed(String tool) {
        for (String dir : System.getenv("PATH").split(":")) if (Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }

    static void require(String tool, String debianPackage) {
        if (installed(tool)) return;
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(tool + " is missing: apt-get install " + debianPackage);
        assumeTrue(false, tool + " not installed (apt-get install " + debianPackage + "): oracle test skipped");
    }

    /** Runs {@code command... in out} and reads the uncompressed result. */
    static Oracle decode(Path in, Path workDir, String... command) throws IOException, InterruptedException {
        Path out = workDir.resolve(in.getFileName() + "." + command[0] + ".dcm");
        List<String> args = new ArrayList<>(List.of(command));
        args.add(in.toString());
        args.add(out.toString());
        Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(workDir.resolve("oracle.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", args) + " did not finish");
        }
        if (p.exitValue() != 0) throw new IOException(String.join(" ", args) + " failed: " + Files.readString(workDir.resolve("oracle.log")));
        DicomFile f = DicomReader.read(Files.readAllBytes(out));
        byte[] pixels = ((ValueElement) f.dataSet().get(Tag.PixelData)).bytes();
        return new Oracle(f.dataSet(), pixels);
    }
}
