package dev.stratus.app;

import dev.stratus.codec.DicomFile;
import dev.stratus.codec.json.DicomJsonWriter;
import dev.stratus.codec.json.JsonWriteOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * stratus json FILE: the DICOM JSON model (PS3.18 F.2) of the data set, binary values inline. Other tools
 * rely on this contract: JSON on stdout and exit 0, or exit 1 with one line on stderr.
 */
@Command(name = "json", mixinStandardHelpOptions = true, description = "Print the DICOM JSON model (PS3.18 F.2) of a file's data set; binary values as InlineBinary.")
final class JsonCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "DICOM file (Part 10, or a bare data set)")
    Path file;

    @Override
    public Integer call() {
        return FileInput.withFile(file, (DicomFile f) -> {
            // Build the whole document first so that a failure half way prints nothing on stdout.
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            try (DicomJsonWriter w = DicomJsonWriter.of(json, JsonWriteOptions.DEFAULT)) {
                w.write(f.dataSet());
            }
            BufferedOutputStream out = new BufferedOutputStream(System.out);
            json.writeTo(out);
            out.write('\n');
            out.flush();
        });
    }
}
