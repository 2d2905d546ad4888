package dev.stratus.app;

import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a DICOM file for a CLI command; a failure becomes exit status 1 and one line on stderr. */
final class FileInput {
    private FileInput() {}

    interface FileAction {
        void accept(DicomFile file) throws IOException;
    }

    static int withFile(Path path, FileAction action) {
        try {
            action.accept(DicomReader.read(Files.readAllBytes(path)));
            System.out.flush();
            return 0;
        } catch (NoSuchFileException e) {
            return fail(path + ": no such file");
        } catch (DicomParseException e) {
            return fail(path + ": not a readable DICOM file: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return fail(path + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private static int fail(String line) {
        System.out.flush();
        System.err.println("stratus: " + line.replace('\n', ' '));
        return 1;
    }
}
