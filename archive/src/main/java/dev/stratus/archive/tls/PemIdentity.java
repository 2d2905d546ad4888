package dev.stratus.archive.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's TLS identity from two PEM files, as web servers and certificate tools (openssl, certbot, cert-manager)
 * write them: the certificate chain (leaf first) and its unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}).
 * The JDK reads the certificates itself; the key is one base64 block. Both are read anew on each {@link #load()}.
 */
public record PemIdentity(Path certificate, Path key) {
    /** A chain of a few certificates or a key is a few KB; anything far larger is not what was meant. */
    static final long MAX_FILE_BYTES = 1 << 20;
    static final String ALIAS = "stratus";
    private static final Pattern PKCS8 = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Pattern OTHER_KEY = Pattern.compile("-----BEGIN ((RSA |EC |ENCRYPTED )?PRIVATE KEY)-----");

    public PemIdentity {
        if (certificate == null || key == null) throw new IllegalArgumentException("TLS needs both a certificate file and a key file");
    }

    /** A key store holding the key and its chain (in memory, without password), for Jetty's SslContextFactory. */
    public KeyStore load() throws IOException, GeneralSecurityException {
        X509Certificate[] chain = chain();
        PrivateKey privateKey = privateKey(chain[0].getPublicKey());
        if (!belongTogether(privateKey, chain[0].getPublicKey())) {
            throw new GeneralSecurityException("the key in " + key + " does not belong to the certificate in " + certificate
                    + " (" + chain[0].getSubjectX500Principal().getName() + ")");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, privateKey, new char[0], chain);
        return store;
    }

    private X509Certificate[] chain() throws IOException, GeneralSecurityException {
        byte[] pem = read(certificate);
        Collection<? extends Certificate> read;
        try (InputStream in = new ByteArrayInputStream(pem)) {
            read = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(certificate + " holds no readable PEM certificate: " + e.getMessage(), e);
        }
        if (read.isEmpty()) throw new GeneralSecurityException(certificate + " holds no certificate (-----BEGIN CERTIFICATE-----)");
        return read.stream().map(c -> (X509Certificate) c).toArray(X509Certificate[]::new);
    }

    private PrivateKey privateKey(PublicKey certified) throws IOException, GeneralSecurityException {
        String pem = new String(read(key), StandardCharsets.US_ASCII);
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            Matcher other = OTHER_KEY.matcher(pem);
            String found = other.find() ? "a " + other.group(1) + " block" : "no PEM private key";
            throw new GeneralSecurityException(key + " holds " + found + "; an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----) "
                    + "is needed: convert with `openssl pkcs8 -topk8 -nocrypt -in " + key + " -out key.pem` and protect the file by its permissions");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(key + ": the private key's base64 is damaged (" + e.getMessage() + ")");
        }
        try {
            // The certificate says which algorithm its key is for; a key of another one cannot be its key anyway.
            return KeyFactory.getInstance(certified.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(key + " holds no readable " + certified.getAlgorithm() + " private key for the certificate in "
                    + certificate + ": " + e.getMessage(), e);
        }
    }

    /** Signs a few bytes with the key and verifies them with the certificate's public key. */
    private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) return true; // an unusual algorithm: the TLS handshake is the test
        byte[] probe = "stratus".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance(algorithm);
        sign.initSign(privateKey);
        sign.update(probe);
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance(algorithm);
        verify.initVerify(publicKey);
        verify.update(probe);
        return verify.verify(signature);
    }

    private static byte[] read(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + " does not exist");
        }
        if (size > MAX_FILE_BYTES) throw new IOException(file + " is " + size + " bytes: not a PEM certificate or key (at most 1 MiB)");
        return Files.readAllBytes(file);
    }
}
