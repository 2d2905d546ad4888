package dev.stratus.app;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `stratus serve` as operators run it: bound to the address asked for, and stopped by SIGTERM without losing a STOW in flight. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void listensOnlyOnTheHostAskedForAndASigtermLetsAStowInFlightFinish() throws Exception {
        String study = Uids.generate(), sop = Uids.generate();
        byte[] body = stowBody(study, sop);
        URI base;
        try (ServerProcess server = ServerProcess.start(dir.resolve("data"), dir.resolve("server.log"), List.of("--host", "127.0.0.1", "--no-dimse"))) {
            base = URI.create(server.base);
            Optional<InetAddress> other = nonLoopbackAddress();
            if (other.isPresent()) {
                assertFalse(accepts(other.get(), base.getPort()), "not listening on " + other.get() + server.log());
            }

            try (Socket stow = new Socket()) {
                stow.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 5_000);
                stow.setSoTimeout(60_000);
                OutputStream out = stow.getOutputStream();
                out.write(("POST /dicomweb/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/dicom+json\r\n"
                        + "Content-Type: multipart/related; type=\"application/dicom\"; boundary=b\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, body.length / 2);
                out.flush();
                Thread.sleep(1_000); // the request is being handled

                server.terminate();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (accepts(InetAddress.getLoopbackAddress(), base.getPort()) && System.nanoTime() < deadline) Thread.sleep(50);
                assertFalse(accepts(InetAddress.getLoopbackAddress(), base.getPort()), "new connections are refused once stopping");
                Thread.sleep(2_000);
                assertTrue(server.isAlive(), "the server waits for the request in flight" + server.log());

                out.write(Arrays.copyOfRange(body, body.length / 2, body.length));
                out.flush();
                String response = new String(stow.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 200"), response + server.log());
                assertTrue(response.contains(sop), response);
            }
            assertEquals(128 + 15, server.awaitExit(30), "stopped (as SIGTERM ends a JVM) once the request was answered" + server.log());
        }

        try (ServerProcess again = ServerProcess.start(dir.resolve("data"), dir.resolve("again.log"), List.of("--no-dimse"))) {
            HttpResponse<String> found = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(again.base + "/dicomweb/studies/" + study + "/instances")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, found.statusCode(), found.body());
            assertTrue(found.body().contains(sop), "the instance acknowledged during the stop is stored: " + found.body());
        }
    }

    private static boolean accepts(InetAddress address, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 1_000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        return NetworkInterface.networkInterfaces().filter(n -> {
                    try {
                        return n.isUp() && !n.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).findFirst();
    }

    private static byte[] stowBody(String study, String sop) throws IOException {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, Uids.generate());
        ds.setString(0x00100010, VR.PN, "Stopping^Slowly");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("--b\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        DicomWriter w = new DicomWriter(out, null);
        w.writePreambleAndMeta(DicomWriter.fileMetaFor(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null));
        w.writeDataSet(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        w.flush();
        out.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
