package dev.stratus.app;

import dev.stratus.codec.DataSetDump;
import dev.stratus.codec.DicomFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** stratus dump FILE: the file meta and data set, one element a line. */
@Command(name = "dump", mixinStandardHelpOptions = true, description = "Print a DICOM file one element a line: tag, VR, length, value, keyword.")
final class DumpCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "DICOM file (Part 10, or a bare data set)")
    Path file;

    @Override
    public Integer call() {
        return FileInput.withFile(file, (DicomFile f) -> {
            StringBuilder sb = new StringBuilder();
            sb.append("# transfer syntax: ").append(f.transferSyntax().name()).append(" (").append(f.transferSyntax().uid()).append(")\n");
            if (!f.fileMeta().isEmpty()) {
                sb.append("# file meta information\n");
                DataSetDump.dump(f.fileMeta(), "", sb);
                sb.append("# data set\n");
            }
            DataSetDump.dump(f.dataSet(), "", sb);
            System.out.print(sb);
        });
    }
}
