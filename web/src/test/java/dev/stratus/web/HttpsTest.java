package dev.stratus.web;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.json.DicomJsonReader;
import dev.stratus.archive.tls.PemIdentity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS from a PEM certificate and key, as certificate tools write them (pairs made here with the JDK's keytool): a
 * client that trusts the certificate stores and searches, the answers' URLs are https, and replacing the files switches
 * the certificate served without a restart.
 */
class HttpsTest {
    @TempDir
    static Path keys;
    @TempDir
    Path dir;

    private static Pair rsa, ec;

    /** A certificate (PEM) and its key (PKCS#8 PEM), and the certificate itself. */
    record Pair(String certificatePem, String keyPem, X509Certificate certificate) {}

    @BeforeAll
    static void makePairs() throws Exception {
        rsa = pair("stratus-rsa", "RSA");
        ec = pair("stratus-ec", "EC");
    }

    @Test
    void aClientThatTrustsTheCertificateStoresAndSearchesOverHttpsAndGetsHttpsUrls() throws Exception {
        PemIdentity identity = install(rsa, dir.resolve("tls"));
        try (TestArchive archive = new TestArchive(dir.resolve("data"), Map.of(), TestBackend.SQLITE, s -> s.withTls(identity), trusting(rsa))) {
            assertTrue(archive.base.startsWith("https://127.0.0.1:"), archive.base);
            String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();
            byte[] file = GeneratedCt.part10(GeneratedCt.ct(study, series, sop, "Doe^John", "P1", 1, 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            HttpResponse<String> stored = archive.stow("/dicomweb/studies", new Multipart().part(file).end());
            assertEquals(200, stored.statusCode(), stored.body());
            String url = new DicomJsonReader().read(stored.body()).getItems(Tag.ReferencedSOPSequence).getFirst().getString(Tag.RetrieveURL);
            assertEquals(archive.base + "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop, url);
            HttpResponse<String> found = archive.get("/dicomweb/studies?StudyInstanceUID=" + study, "application/dicom+json");
            assertEquals(200, found.statusCode(), found.body());
            assertTrue(found.body().contains("https://127.0.0.1:"), "search answers name https URLs: " + found.body());
            try (HttpClient stranger = HttpClient.newHttpClient()) {
                assertThrows(IOException.class, () -> stranger.send(HttpRequest.newBuilder(URI.create(archive.base + "/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding()), "a client that does not trust the certificate gets no answer");
            }
        }
    }

    @Test
    void replacingTheFilesSwitchesTheCertificateServedWithoutARestart() throws Exception {
        Path tls = dir.resolve("tls");
        PemIdentity identity = install(rsa, tls);
        try (TestArchive archive = new TestArchive(dir.resolve("data"), Map.of(), TestBackend.SQLITE, s -> s.withTls(identity), trusting(rsa))) {
            int port = URI.create(archive.base).getPort();
            assertEquals(rsa.certificate(), served(port));

            // the key first, as a renewal may write them: the pair does not match meanwhile, and the old certificate stays
            replace(tls.resolve("key.pem"), ec.keyPem());
            assertEquals(rsa.certificate(), served(port), "a half-replaced pair is not served");
            replace(tls.resolve("cert.pem"), ec.certificatePem());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!served(port).equals(ec.certificate()) && System.nanoTime() < deadline) Thread.sleep(200);
            assertEquals(ec.certificate(), served(port), "the new certificate is served without a restart");

            try (HttpClient renewed = trusting(ec)) {
                HttpResponse<String> live = renewed.send(HttpRequest.newBuilder(URI.create(archive.base + "/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, live.statusCode(), "a client trusting only the new certificate is served");
            }
        }
    }

    @Test
    void aKeyThatIsNotPkcs8OrNotTheCertificatesStopsStartWithTheReason() throws Exception {
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Path cert = Files.writeString(tls.resolve("cert.pem"), rsa.certificatePem());
        Path other = Files.writeString(tls.resolve("other-key.pem"), ec.keyPem());
        Exception mismatch = assertThrows(Exception.class, () -> new PemIdentity(cert, other).load());
        assertTrue(mismatch.getMessage().contains("holds no readable RSA private key for the certificate in " + cert), mismatch.getMessage());
        Path pkcs1 = Files.writeString(tls.resolve("rsa-key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        Exception traditional = assertThrows(Exception.class, () -> new PemIdentity(cert, pkcs1).load());
        assertTrue(traditional.getMessage().contains("holds a RSA PRIVATE KEY block; an unencrypted PKCS#8 key")
                && traditional.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), traditional.getMessage());
        Exception absent = assertThrows(Exception.class, () -> new PemIdentity(tls.resolve("absent.pem"), other).load());
        assertEquals(tls.resolve("absent.pem") + " does not exist", absent.getMessage());
        Path notACertificate = Files.writeString(tls.resolve("not.pem"), "hello");
        IllegalArgumentException atStart = assertThrows(IllegalArgumentException.class, () -> new TestArchive(dir.resolve("data"),
                Map.of(), TestBackend.SQLITE, s -> s.withTls(new PemIdentity(notACertificate, other)), HttpClient.newHttpClient()));
        assertTrue(atStart.getMessage().startsWith("cannot serve HTTPS: " + notACertificate), atStart.getMessage());
    }

    /** The certificate the server presents in a fresh TLS handshake. */
    private static X509Certificate served(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(rsa, ec), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static HttpClient trusting(Pair... pairs) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(pairs), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    private static javax.net.ssl.TrustManager[] trustManagers(Pair... pairs) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (Pair p : pairs) trusted.setCertificateEntry(p.certificate().getSubjectX500Principal().getName(), p.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        return tmf.getTrustManagers();
    }

    private static PemIdentity install(Pair pair, Path tls) throws IOException {
        Files.createDirectories(tls);
        return new PemIdentity(Files.writeString(tls.resolve("cert.pem"), pair.certificatePem()), Files.writeString(tls.resolve("key.pem"), pair.keyPem()));
    }

    /** Writes beside and renames over, as certificate tools do, so that no half-written file is ever read. */
    private static void replace(Path file, String content) throws IOException {
        Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A self-signed certificate for 127.0.0.1 and localhost from keytool, as PEM text. */
    private static Pair pair(String name, String algorithm) throws Exception {
        Path store = keys.resolve(name + ".p12");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", name, "-keyalg", algorithm, "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool failed: " + out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate(name);
        byte[] key = ks.getKey(name, "changeit".toCharArray()).getEncoded(); // PKCS#8
        return new Pair(pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", key), cert);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
