package dev.stratus.codec.json;

import dev.stratus.codec.TestFiles;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.TransferSyntax;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.core.JsonParser;
import tools.jackson.core.json.JsonFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JSON to DataSet to JSON gives the same JSON, for the JSON of every readable pydicom file. The one change
 * allowed: Specific Character Set becomes ISO_IR 192 where the reader stored non-ASCII text as UTF-8.
 * The data set read from JSON must also encode as Part 10 and read back.
 */
class JsonRoundTripTest {
    private static final JsonFactory FACTORY = new JsonFactory();

    @TestFactory
    List<DynamicTest> jsonSurvivesDataSetAndBack() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : TestFiles.all()) {
            if (DcmtkJsonOracleTest.unreadable(p)) continue;
            tests.add(DynamicTest.dynamicTest(TestFiles.PYDICOM.relativize(p).toString(), () -> {
                DicomFile file = DicomReader.read(Files.readAllBytes(p));
                String first = DicomJsonWriter.toJson(file.dataSet());
                // the writer's inline binary is little endian, or the file's own encapsulated syntax for Pixel Data
                TransferSyntax inline = file.transferSyntax().encapsulated() ? file.transferSyntax() : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
                DataSet read = new DicomJsonReader(inline).read(first);
                String second = DicomJsonWriter.toJson(read);
                List<JsonDiff.Diff> diffs = new ArrayList<>(JsonDiff.compare(tree(first), tree(second)));
                diffs.removeIf(d -> d.path().endsWith("00080005") && d.what().matches(".*dcmtk (1 )?\\[?\"ISO_IR 192\"]?"));
                assertEquals(List.of(), diffs, "second JSON (shown as dcmtk) differs from the first (ours)");
                if (!first.equals(second)) assertTrue(second.contains("ISO_IR 192"), "text differs beyond the character set");
                byte[] part10 = DicomWriter.encode(read, file.transferSyntax());
                DataSet again = new DicomReader(part10).readDataSet(file.transferSyntax(), ReadOptions.ALL);
                List<JsonDiff.Diff> afterPart10 = new ArrayList<>(JsonDiff.compare(tree(second), tree(DicomJsonWriter.toJson(again))));
                afterPart10.removeIf(JsonRoundTripTest::paddedToEvenLength); // PS3.5 7.1.1: the Part 10 writer pads odd values
                assertEquals(List.of(), afterPart10, "through Part 10 and back");
            }));
        }
        return tests;
    }

    private static boolean paddedToEvenLength(JsonDiff.Diff d) {
        var m = java.util.regex.Pattern.compile("InlineBinary differs: ours (\\d+) bytes, dcmtk (\\d+) bytes.*").matcher(d.what());
        return m.matches() && Integer.parseInt(m.group(1)) % 2 == 1 && Integer.parseInt(m.group(2)) == Integer.parseInt(m.group(1)) + 1;
    }

    private static Map<?, ?> tree(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            return (Map<?, ?>) JsonTree.read(p);
        }
    }
}
