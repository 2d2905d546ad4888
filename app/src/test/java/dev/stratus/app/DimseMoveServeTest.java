package dev.stratus.app;

import dev.stratus.codec.DicomReader;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The C-MOVE destinations of the configuration file reach the running {@code stratus serve}: DCMTK movescu moves a
 * study to the AE title VIEWER, which for the default tenant is the common destination and for hospital-a its own
 * (another storescp); each storescp receives exactly the instances of its tenant's study.
 */
class DimseMoveServeTest {
    private static final List<String> TOOLS = List.of("storescu", "movescu", "storescp");

    @TempDir
    Path dir;

    @Test
    void aMoveSendsToTheDestinationOfTheYamlFileAndATenantsOwnWins() throws Exception {
        boolean installed = TOOLS.stream().allMatch(t -> Files.isExecutable(Path.of("/usr/bin", t)));
        assumeTrue(installed || "true".equals(System.getenv("CI")), "DCMTK storescu, movescu and storescp not installed");
        int commonPort = freePort(), tenantPort = freePort(), dimsePort = freePort();
        Path yaml = Files.writeString(dir.resolve("stratus.yaml"), """
                dimse:
                  destinations:
                    VIEWER: {host: 127.0.0.1, port: %d}
                  tenants:
                    hospital-a:
                      calledAeTitles: [HOSP_A]
                      destinations:
                        VIEWER: {host: localhost, port: %d}
                """.formatted(commonPort, tenantPort));
        Process common = null, tenant = null;
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir.resolve("server.log"),
                List.of("--config", yaml.toString(), "--dimse-port", String.valueOf(dimsePort)))) {
            Path commonOut = Files.createDirectory(dir.resolve("common")), tenantOut = Files.createDirectory(dir.resolve("tenant"));
            common = storescp(commonOut, commonPort);
            tenant = storescp(tenantOut, tenantPort);
            String defaultStudy = Uids.generate(), tenantStudy = Uids.generate();
            Set<String> defaultSops = store(defaultStudy, "STRATUS", 3, dimsePort);
            Set<String> tenantSops = store(tenantStudy, "HOSP_A", 2, dimsePort);

            move("STRATUS", defaultStudy, dimsePort);
            assertEquals(defaultSops, received(commonOut), "the default tenant's VIEWER is dimse.destinations' one");
            assertEquals(Set.of(), received(tenantOut));

            move("HOSP_A", tenantStudy, dimsePort);
            assertEquals(tenantSops, received(tenantOut), "hospital-a's own VIEWER wins over the common one");
            assertEquals(defaultSops, received(commonOut), "nothing more reached the common destination");
        } finally {
            for (Process p : new Process[] {common, tenant}) {
                if (p != null) {
                    p.destroy();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process storescp(Path out, int port) throws Exception {
        Path log = dir.resolve("storescp-" + port + ".log");
        Process p = new ProcessBuilder("storescp", "-aet", "VIEWER", "-od", out.toString(), String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 200; i++) { // until it listens, at most 10 s
            try (Socket s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive()) throw new AssertionError("storescp exited: " + Files.readString(log));
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("storescp did not listen on " + port);
    }

    /** Stores {@code count} instances of one series of {@code study} by C-STORE to {@code calledAe}; their SOP Instance UIDs. */
    private Set<String> store(String study, String calledAe, int count, int dimsePort) throws Exception {
        String series = Uids.generate();
        Set<String> sops = new TreeSet<>();
        List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", "MODALITY", "-aec", calledAe, "127.0.0.1", String.valueOf(dimsePort)));
        for (int i = 1; i <= count; i++) {
            String sop = Uids.generate();
            Path file = dir.resolve(sop + ".dcm");
            Files.write(file, GeneratedCt.part10(GeneratedCt.ct(study, series, sop, "Move^Test", "MOVE1", i), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            cmd.add(file.toString());
            sops.add(sop);
        }
        assertEquals(0, run(cmd), "storescu to " + calledAe);
        return sops;
    }

    private void move(String calledAe, String study, int dimsePort) throws Exception {
        assertEquals(0, run(List.of("movescu", "-aet", "VIEWER_USER", "-aec", calledAe, "-aem", "VIEWER", "-S",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "127.0.0.1", String.valueOf(dimsePort))), "movescu via " + calledAe);
    }

    private int run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not end");
        if (p.exitValue() != 0) System.err.println(String.join(" ", cmd) + "\n" + out);
        return p.exitValue();
    }

    /** The SOP Instance UIDs of the files a storescp wrote, read from the files themselves. */
    private static Set<String> received(Path out) throws IOException {
        Set<String> sops = new TreeSet<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) sops.add(DicomReader.read(Files.readAllBytes(f)).dataSet().getString(Tag.SOPInstanceUID));
        }
        return sops;
    }
}
