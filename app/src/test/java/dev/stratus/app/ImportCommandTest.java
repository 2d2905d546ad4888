package dev.stratus.app;

import dev.stratus.archive.Archive;
import dev.stratus.codec.Uids;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.stratus.app.CommandLineContractTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `stratus import`: a folder of files, a zip and things that are not instances, into the archive directly or into a running server. */
class ImportCommandTest {
    private final String study = Uids.generate(), series = Uids.generate();

    /**
     * A folder as operators have them: three instances in a sub-folder, a zip of two more and a readme, a text file, and
     * one instance whose Study Instance UID is not a UID (the archive refuses it).
     */
    private Path folder(Path dir) throws IOException {
        Path in = Files.createDirectories(dir.resolve("incoming/PAT1/ST1"));
        for (int i = 1; i <= 3; i++) Files.write(in.resolve("IM" + i), ArchiveClient.instance(study, series, Uids.generate(), 1));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve("incoming/more.zip")))) {
            for (int i = 1; i <= 2; i++) entry(zip, "disk/IM" + i + ".dcm", ArchiveClient.instance(study, series, Uids.generate(), 2));
            entry(zip, "README.txt", "burned by the modality\n".getBytes());
        }
        Files.writeString(dir.resolve("incoming/notes.txt"), "not an image\n".repeat(20));
        Files.write(dir.resolve("incoming/bad.dcm"), ArchiveClient.instance("1.2.not-a-uid", series, Uids.generate(), 1));
        return dir.resolve("incoming");
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    @Test
    void importsAFolderWithAZipDirectlyCountsEachOutcomeAndExitsOneForTheRefusedInstance(@TempDir Path dir) throws Exception {
        Path incoming = folder(dir);
        Path data = dir.resolve("data");
        CommandLineContractTest.Run first = run("import", incoming.toString(), "--data-dir", data.toString());
        assertEquals(1, first.status(), first.out() + first.err());
        assertTrue(first.out().contains("stored 5, replaced 0, already stored (skipped) 0, refused 1, not DICOM 2"), first.out());
        assertTrue(first.out().lines().anyMatch(l -> l.startsWith("refused: ") && l.contains("bad.dcm")), first.out());
        assertTrue(first.err().contains("8 files"), first.err()); // 3, bad.dcm, notes.txt, and the zip's 2 instances and readme
        try (Archive archive = Archive.open(Archive.Settings.in(data))) {
            assertEquals(5, archive.index().listInstances(TenantId.DEFAULT, study, null).size());
        }

        CommandLineContractTest.Run again = run("import", incoming.toString(), "--data-dir", data.toString());
        assertEquals(1, again.status(), again.out() + again.err());
        assertTrue(again.out().contains("stored 0, replaced 0, already stored (skipped) 5, refused 1, not DICOM 2"), again.out());

        CommandLineContractTest.Run replacing = run("import", incoming.toString(), "--data-dir", data.toString(), "--replace");
        assertTrue(replacing.out().contains("stored 0, replaced 5, already stored (skipped) 0, refused 1"), replacing.out());
    }

    @Test
    void importsDicomdirMediaMadeByDcmtkSkippingTheDirectoryItself(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dcmmkdir")) || "true".equals(System.getenv("CI")), "DCMTK not installed");
        Path media = Files.createDirectories(dir.resolve("cd/DICOM/ST1"));
        for (int i = 1; i <= 2; i++) Files.write(media.resolve("IM" + i), ArchiveClient.instance(study, series, Uids.generate(), 1));
        Process mkdir = new ProcessBuilder("dcmmkdir", "-q", "+I", "+r", "-Pgp", "DICOM").directory(dir.resolve("cd").toFile())
                .redirectErrorStream(true).start();
        String said = new String(mkdir.getInputStream().readAllBytes());
        assertEquals(0, mkdir.waitFor(), said);
        assertTrue(Files.exists(dir.resolve("cd/DICOMDIR")));

        CommandLineContractTest.Run r = run("import", dir.resolve("cd/DICOMDIR").toString(), "--data-dir", dir.resolve("data").toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("stored 2, replaced 0, already stored (skipped) 0, refused 0, not DICOM 0, DICOMDIR (skipped) 1"), r.out());
    }

    @Test
    void importOfOnlyGoodInstancesExitsZero(@TempDir Path dir) throws Exception {
        Path one = Files.write(dir.resolve("one.dcm"), ArchiveClient.instance(study, series, Uids.generate(), 1));
        CommandLineContractTest.Run r = run("import", one.toString(), "--data-dir", dir.resolve("data").toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("stored 1, "), r.out());
    }

    @Test
    void importsIntoARunningServerOverStowAndSkipsWhatItHoldsOnTheSecondRun(@TempDir Path dir) throws Exception {
        Path incoming = folder(dir);
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, dir.resolve("server.log"), java.util.List.of("--no-dimse"))) {
            String url = server.base + "/dicomweb";
            CommandLineContractTest.Run first = run("import", incoming.toString(), "--url", url, "--batch", "2", "--parallel", "2");
            assertEquals(1, first.status(), first.out() + first.err() + server.logTail(30));
            assertTrue(first.out().contains("stored 5, replaced 0, already stored (skipped) 0, refused 1, not DICOM 2"), first.out());
            assertTrue(first.out().lines().anyMatch(l -> l.startsWith("refused: ") && l.contains("bad.dcm")), first.out());

            ArchiveClient client = new ArchiveClient(server, data);
            HttpResponse<String> found = client.get("/dicomweb/studies/" + study + "/instances", "application/dicom+json");
            assertEquals(200, found.statusCode(), found.body());
            assertEquals(5, found.body().split("\"00080018\"").length - 1, found.body());
            Path im1 = incoming.resolve("PAT1/ST1/IM1");
            String sop = dev.stratus.codec.DicomReader.read(Files.readAllBytes(im1)).dataSet().getString(dev.stratus.codec.Tag.SOPInstanceUID);
            assertArrayEquals(Files.readAllBytes(im1), client.retrieve(study, series, sop));

            CommandLineContractTest.Run again = run("import", incoming.toString(), "--url", url);
            assertTrue(again.out().contains("stored 0, replaced 0, already stored (skipped) 5, refused 1, not DICOM 2"), again.out());
        }
    }

    @Test
    void anUnreachableServerStopsTheImportWithTheReason(@TempDir Path dir) throws Exception {
        Path one = Files.write(dir.resolve("one.dcm"), ArchiveClient.instance(study, series, Uids.generate(), 1));
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CommandLineContractTest.Run r = run("import", one.toString(), "--url", "http://127.0.0.1:" + port + "/dicomweb");
        assertEquals(1, r.status());
        assertTrue(r.out().contains("stopped: "), r.out() + r.err());
    }

    @Test
    void everyToolAnswersHelp() {
        for (String tool : new String[] {"import", "check", "export"}) {
            CommandLineContractTest.Run r = run(tool, "--help");
            assertEquals(0, r.status(), tool + ": " + r.err());
            assertTrue(r.out().contains("Usage: stratus " + tool), r.out());
        }
    }

}
