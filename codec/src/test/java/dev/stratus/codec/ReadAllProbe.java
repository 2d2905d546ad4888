package dev.stratus.codec;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

class ReadAllProbe {
    @Test
    void probe() throws Exception {
        for (Path p : TestFiles.all()) {
            try {
                DicomFile f = DicomReader.read(Files.readAllBytes(p));
                System.out.println("OK   " + p.getFileName() + " " + f.transferSyntax().name() + " n=" + f.dataSet().size());
            } catch (Exception e) {
                System.out.println("FAIL " + p.getFileName() + " " + e);
            }
        }
    }
}
