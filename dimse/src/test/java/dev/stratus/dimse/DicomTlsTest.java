package dev.stratus.dimse;

import dev.stratus.archive.audit.AuditLog;
import dev.stratus.archive.tls.PemIdentity;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.dimse.tls.CertifiedPeer;
import dev.stratus.dimse.tls.DimseTls;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DICOM over TLS with DCMTK's echoscu, storescu and findscu (+tls; DCMTK 3.6.7's getscu and movescu have no TLS): a peer's client certificate decides its tenant,
 * whatever AE title it calls; peers without a certificate, with one no trusted CA signed, or speaking plain DICOM are
 * refused at the handshake; each operation leaves one audit record, without patient data.
 */
@Timeout(120)
class DicomTlsTest {
    static final TenantId RADIOLOGY = new TenantId("radiology"), LAB = new TenantId("lab"), DECLARED = new TenantId("declared");

    @TempDir
    static Path keys;
    static TestCertificates pki;
    static TestCertificates.Pair server, ct1, lab, stranger, rogue;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        Dcmtk.require("storescu");
        pki = TestCertificates.in(keys.resolve("pki"));
        server = pki.signed("server", "/CN=stratus.hospital.test", "IP:127.0.0.1,DNS:localhost", true);
        ct1 = pki.signed("ct1", "/O=Radiology/CN=ct-scanner-1", "DNS:ct1.hospital.test", false);
        lab = pki.signed("lab", "/CN=analyzer", "DNS:lab.hospital.test", false);
        stranger = pki.signed("stranger", "/CN=stranger", "DNS:stranger.hospital.test", false);
        rogue = pki.selfSigned("rogue", "/O=Radiology/CN=ct-scanner-1"); // the right name, but no trusted CA signed it
    }

    /** ct-scanner-1 by its subject, for radiology and only as CT1; the analyzer by its DNS name, for the lab. */
    private TestArchive archive(AuditLog audit) throws Exception {
        DimseTls tls = new DimseTls("127.0.0.1", 0, new PemIdentity(server.certificate(), server.key()), DimseTls.ClientAuth.REQUIRED, pki.ca(),
                List.of(new CertifiedPeer("ct1", new X500Principal("CN=ct-scanner-1, O=Radiology"), null, RADIOLOGY, Set.of("CT1")),
                        new CertifiedPeer("lab", null, "lab.hospital.test", LAB, Set.of())));
        // ARTIM as in production: a JVM's first handshakes are slow on a loaded machine (the test archive's 5 s is tight)
        return new TestArchive(dir, s -> s.withTenants(TenantId.DEFAULT, Map.of("OTHER", DECLARED), Map.of())
                .withTimeouts(DimseSettings.DEFAULT_ARTIM_TIMEOUT, Duration.ofSeconds(30)), tls, audit);
    }

    private static List<String> tls(TestCertificates.Pair pair) {
        return List.of("+tls", pair.key().toString(), pair.certificate().toString(), "+cf", pki.ca().toString());
    }

    private static Dcmtk.Run dcmtk(String tool, String callingAe, List<String> tls, int port, String... rest) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool, "-aet", callingAe, "-aec", "OTHER"));
        cmd.addAll(tls);
        cmd.addAll(List.of(rest));
        cmd.add(cmd.size() - rest.length, "127.0.0.1");
        cmd.add(cmd.size() - rest.length, Integer.toString(port));
        return Dcmtk.run(null, 60, cmd.toArray(String[]::new));
    }

    @Test
    void aCertifiedPeerStoresAndSearchesInItsCertificatesTenantNotTheOneItsCalledAeTitleNames() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        String study = Uids.generate(), sop = Uids.generate(), labSop = Uids.generate();
        Path file = Files.write(dir.resolve("ct.dcm"), GeneratedCt.part10(GeneratedCt.ct(study, Uids.generate(), sop, "Secret^Patient", "PID-SECRET", 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        Path labFile = Files.write(dir.resolve("lab.dcm"), GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), labSop, "Secret^Patient", "PID-SECRET", 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        try (AuditLog log = AuditLog.open("file:" + audit, 1000); TestArchive archive = archive(log)) { // the trail closes last, written out
            // OTHER is the declared tenant's AE title: on the plain port it would decide; here the certificate does.
            Dcmtk.Run store = dcmtk("storescu", "CT1", tls(ct1), archive.tlsPort, file.toString());
            assertEquals(0, store.exitCode(), store.output());
            Dcmtk.Run find = dcmtk("findscu", "CT1", tls(ct1), archive.tlsPort, "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study);
            assertEquals(0, find.exitCode(), find.output());
            Dcmtk.Run labStore = dcmtk("storescu", "ANALYZER", tls(lab), archive.tlsPort, labFile.toString());
            assertEquals(0, labStore.exitCode(), labStore.output());

            assertTrue(archive.index.findInstance(RADIOLOGY, null, null, sop).isPresent(), "stored into the certificate's tenant");
            assertTrue(archive.index.findInstance(DECLARED, null, null, sop).isEmpty(), "not into the tenant of the AE title it called");
            assertTrue(archive.index.findInstance(LAB, null, null, labSop).isPresent(), "a subject alternative name binds too");
            archive.awaitNoAssociations();
        }
        List<String> lines = Files.readAllLines(audit);
        assertTrue(lines.stream().noneMatch(l -> l.contains("Secret") || l.contains("PID-SECRET")), "no patient data in the trail: " + lines);
        String stored = only(lines, "\"action\":\"store\"", "\"instance\":\"" + sop + "\"");
        for (String expected : List.of("\"tenant\":\"radiology\"", "\"subject\":\"CN=ct-scanner-1,O=Radiology\"", "\"client\":\"CT1\"",
                "\"study\":\"" + study + "\"", "\"protocol\":\"dimse\"", "\"command\":\"C-STORE-RQ\"", "\"calledAeTitle\":\"OTHER\"",
                "\"tls\":true", "\"dimseStatus\":\"0000\"", "\"outcome\":\"success\"", "\"capability\":\"WRITE\"", "\"address\":\"127.0.0.1\"")) {
            assertTrue(stored.contains(expected), expected + " in " + stored);
        }
        String searched = only(lines, "\"action\":\"search\"", "\"study\":\"" + study + "\"");
        assertTrue(searched.contains("\"tenant\":\"radiology\"") && searched.contains("\"capability\":\"READ\""), searched);

        assertTrue(only(lines, "\"action\":\"store\"", labSop).contains("\"tenant\":\"lab\""));
    }

    @Test
    void peersWithoutATrustedCertificateOrWithoutTlsAreRefusedAtTheHandshake() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open("file:" + audit, 1000); TestArchive archive = archive(log)) { // the trail closes last, written out
            Dcmtk.require("echoscu");
            Dcmtk.Run certified = dcmtk("echoscu", "CT1", tls(ct1), archive.tlsPort);
            assertEquals(0, certified.exitCode(), "the control: a certified peer is served\n" + certified.output());

            Dcmtk.Run anonymous = dcmtk("echoscu", "CT1", List.of("+tla", "+cf", pki.ca().toString()), archive.tlsPort);
            assertNotEquals(0, anonymous.exitCode(), "no client certificate, one required\n" + anonymous.output());
            assertFalse(anonymous.output().contains("Association Rejected"), "refused before any A-ASSOCIATE-RQ\n" + anonymous.output());
            Dcmtk.Run untrusted = dcmtk("echoscu", "CT1", tls(rogue), archive.tlsPort);
            assertNotEquals(0, untrusted.exitCode(), "signed by no trusted CA\n" + untrusted.output());
            assertFalse(untrusted.output().contains("Association Rejected"), "refused before any A-ASSOCIATE-RQ\n" + untrusted.output());
            Dcmtk.Run plain = dcmtk("echoscu", "CT1", List.of(), archive.tlsPort);
            assertNotEquals(0, plain.exitCode(), "plain DICOM on the TLS port\n" + plain.output());
            assertFalse(plain.output().contains("Association Rejected"), plain.output());

            // Trusted, but past the handshake the certificate must match an entry, and its entry's calling AE titles.
            Dcmtk.Run unmapped = dcmtk("echoscu", "STRANGER", tls(stranger), archive.tlsPort);
            assertNotEquals(0, unmapped.exitCode(), unmapped.output());
            assertTrue(unmapped.output().contains("Association Rejected"), unmapped.output());
            Dcmtk.Run wrongAe = dcmtk("echoscu", "MR9", tls(ct1), archive.tlsPort);
            assertNotEquals(0, wrongAe.exitCode(), wrongAe.output());
            assertTrue(wrongAe.output().contains("Association Rejected"), wrongAe.output());
            archive.awaitNoAssociations();
        }
        List<String> lines = Files.readAllLines(audit);
        assertEquals(2, lines.size(), "C-ECHO leaves none; the two rejections one each: " + lines);
        assertTrue(lines.get(0).contains("\"subject\":\"CN=stranger\"") && lines.get(0).contains("\"action\":\"associate\"")
                && lines.get(0).contains("\"outcome\":\"denied\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"client\":\"MR9\"") && lines.get(1).contains("\"outcome\":\"denied\""), lines.get(1));
    }

    @Test
    void aNewCertificateIsServedWithoutRestart() throws Exception {
        Path tlsDir = Files.createDirectories(dir.resolve("tls"));
        Path cert = Files.copy(server.certificate(), tlsDir.resolve("cert.pem")), key = Files.copy(server.key(), tlsDir.resolve("key.pem"));
        DimseTls tls = new DimseTls("127.0.0.1", 0, new PemIdentity(cert, key), DimseTls.ClientAuth.REQUIRED, pki.ca(), List.of());
        TestCertificates.Pair renewed = pki.signed("renewed", "/CN=renewed.hospital.test", "IP:127.0.0.1", true);
        try (TestArchive archive = new TestArchive(dir, s -> s, tls, AuditLog.OFF)) {
            assertEquals("CN=stratus.hospital.test", served(archive.tlsPort));
            Files.copy(renewed.key(), key, StandardCopyOption.REPLACE_EXISTING); // the key first: a pair that does not match is not loaded
            Files.copy(renewed.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);
            String now = served(archive.tlsPort);
            for (int i = 0; i < 100 && !now.equals("CN=renewed.hospital.test"); i++) {
                Thread.sleep(100);
                now = served(archive.tlsPort);
            }
            assertEquals("CN=renewed.hospital.test", now, "the renewed certificate is served within seconds");
        }
    }

    /** The subject of the certificate the server presents in a fresh handshake, as ct-scanner-1. */
    private static String served(int port) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(new PemIdentity(ct1.certificate(), ct1.key()).load(), new char[0]);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (var in = Files.newInputStream(pki.ca())) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static String only(List<String> lines, String... parts) {
        List<String> matching = lines.stream().filter(l -> List.of(parts).stream().allMatch(l::contains)).toList();
        assertEquals(1, matching.size(), "one record with " + List.of(parts) + " in " + lines);
        assertFalse(matching.getFirst().isBlank());
        return matching.getFirst();
    }
}
