package dev.stratus.dimse.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The TLS side of the DICOM TLS port: a server socket whose handshakes follow the PEM files. Our certificate and key,
 * and the CA bundle trusted for client certificates, are read again when a file changes ({@link #reloadIfChanged},
 * called every second); a set that does not load is logged and the one served so far stays. Handshakes begun keep
 * the certificate they chose (its alias names its generation).
 */
public final class TlsListener {
    private static final Logger log = LoggerFactory.getLogger(TlsListener.class);
    /** PS3.15 B.9-B.11 (BCP 195, RFC 9325 4.1): TLS 1.2 at least; TLS 1.3 preferred. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * RFC 9325 4.2's TLS 1.2 suites (ECDHE or DHE with AES-GCM; those of the BCP 195 profiles, PS3.15 B.9), after TLS 1.3's
     * own; the 3DES and AES-CBC suites of the retired Basic and AES profiles (B.1, B.3) are not offered.
     */
    static final List<String> CIPHER_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
    /** A CA bundle of a few hundred certificates is well under this. */
    private static final long MAX_BUNDLE_BYTES = 4 << 20;

    private final DimseTls settings;
    private final Keys keys = new Keys();
    private final Trust trust = new Trust();
    private final SSLContext context;
    private List<Object> stamp;

    /** Loads the files at once, so that a bad set stops start-up with the reason. */
    public TlsListener(DimseTls settings) {
        this.settings = settings;
        try {
            load();
            stamp = stamp();
            context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[]{keys}, settings.clientCa() == null ? null : new TrustManager[]{trust}, null);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot serve DICOM TLS: " + e.getMessage(), e);
        }
    }

    public DimseTls settings() {
        return settings;
    }

    /** A listening socket whose accepted connections hand-shake (on their first read) with this listener's protocols, suites and client authentication. */
    public ServerSocket bind() throws IOException {
        SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(PROTOCOLS);
        List<String> supported = Arrays.asList(s.getSupportedCipherSuites());
        p.setCipherSuites(CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new));
        p.setUseCipherSuitesOrder(true);
        switch (settings.clientAuth()) {
            case REQUIRED -> p.setNeedClientAuth(true);
            case OPTIONAL -> p.setWantClientAuth(true);
            case NONE -> { }
        }
        s.setSSLParameters(p);
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), settings.port()), 128);
        return s;
    }

    /** Reads the files again when one of them changed since the last look. */
    public void reloadIfChanged() {
        List<Object> now;
        try {
            now = stamp();
        } catch (IOException e) {
            now = List.of(e.toString()); // a file gone: try again once it is back
        }
        if (now.equals(stamp)) return;
        stamp = now;
        try {
            load();
            log.info("DICOM TLS certificate reloaded from {} and {}{}", settings.identity().certificate(), settings.identity().key(),
                    settings.clientCa() == null ? "" : ", client CAs from " + settings.clientCa());
        } catch (IOException | GeneralSecurityException e) {
            log.warn("DICOM TLS certificate not reloaded, the one served so far stays: {}", e.getMessage());
        }
    }

    private List<Object> stamp() throws IOException {
        List<Path> files = settings.clientCa() == null ? List.of(settings.identity().certificate(), settings.identity().key())
                : List.of(settings.identity().certificate(), settings.identity().key(), settings.clientCa());
        List<Object> s = new java.util.ArrayList<>();
        for (Path f : files) {
            s.add(Files.getLastModifiedTime(f));
            s.add(Files.size(f));
        }
        return s;
    }

    private void load() throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(settings.identity().load(), new char[0]);
        X509ExtendedKeyManager km = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
        X509ExtendedTrustManager tm = settings.clientCa() == null ? null : trustManager(settings.clientCa());
        keys.next(km); // both read before either is swapped: a bad CA bundle keeps the old certificate too
        if (tm != null) trust.current = tm;
    }

    /** The CA certificates of a PEM bundle as trust anchors (PKIX path validation, no revocation check). */
    static X509ExtendedTrustManager trustManager(Path bundle) throws IOException, GeneralSecurityException {
        long size = Files.size(bundle);
        if (size > MAX_BUNDLE_BYTES) throw new IOException(bundle + " is " + size + " bytes: not a CA bundle (at most 4 MiB)");
        Collection<? extends Certificate> cas;
        try {
            cas = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(Files.readAllBytes(bundle)));
        } catch (CertificateException e) {
            throw new GeneralSecurityException(bundle + " holds no readable PEM certificate: " + e.getMessage(), e);
        }
        if (cas.isEmpty()) throw new GeneralSecurityException(bundle + " holds no certificate (-----BEGIN CERTIFICATE-----)");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (Certificate c : cas) store.setCertificateEntry("ca-" + i++, c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        return (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
    }

    /** Our key and chain, swapped whole on reload; the alias a handshake chose names its generation, so it finishes with that one. */
    private static final class Keys extends X509ExtendedKeyManager {
        private record Generation(int number, X509ExtendedKeyManager keys) {}

        private volatile Generation current, previous;

        synchronized void next(X509ExtendedKeyManager km) {
            previous = current;
            current = new Generation(current == null ? 1 : current.number + 1, km);
        }

        private String tagged(Generation g, String alias) {
            return alias == null ? null : g.number + ":" + alias;
        }

        private Generation generation(String alias) {
            int colon = alias == null ? -1 : alias.indexOf(':');
            if (colon < 0) return null;
            String n = alias.substring(0, colon);
            Generation c = current, p = previous;
            if (c != null && n.equals(Integer.toString(c.number))) return c;
            if (p != null && n.equals(Integer.toString(p.number))) return p;
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            Generation g = current;
            return tagged(g, g.keys.chooseServerAlias(keyType, issuers, socket));
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            Generation g = current;
            return tagged(g, g.keys.chooseEngineServerAlias(keyType, issuers, engine));
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            Generation g = generation(alias);
            return g == null ? null : g.keys.getCertificateChain(alias.substring(alias.indexOf(':') + 1));
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            Generation g = generation(alias);
            return g == null ? null : g.keys.getPrivateKey(alias.substring(alias.indexOf(':') + 1));
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            Generation g = current;
            String[] aliases = g.keys.getServerAliases(keyType, issuers);
            return aliases == null ? null : Arrays.stream(aliases).map(a -> tagged(g, a)).toArray(String[]::new);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null; // a server only
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    /** The trusted client CAs, swapped whole on reload. */
    private static final class Trust extends X509ExtendedTrustManager {
        volatile X509ExtendedTrustManager current;

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            current.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            current.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a server only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a server only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return current.getAcceptedIssuers();
        }
    }
}
