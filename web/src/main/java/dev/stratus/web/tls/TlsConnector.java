package dev.stratus.web.tls;

import dev.stratus.archive.tls.PemIdentity;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Scanner;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Set;

/**
 * An HTTPS listener whose certificate follows its PEM files: Jetty's {@link Scanner} looks at both files every
 * {@value #SCAN_SECONDS} s and, once a change has settled, the pair is read again and Jetty's SSL context reloaded;
 * connections already open keep the certificate they began with. A pair that does not load (a key written before its
 * certificate, a damaged file) is logged and the certificate served so far stays, until the next change.
 */
public final class TlsConnector {
    static final int SCAN_SECONDS = 1;
    private static final Logger log = LoggerFactory.getLogger(TlsConnector.class);

    private final PemIdentity identity;
    private final SslContextFactory.Server ssl = new SslContextFactory.Server();

    /** Loads the pair at once, so that a bad one stops start-up with the reason. */
    public TlsConnector(PemIdentity identity) {
        this.identity = identity;
        try {
            ssl.setKeyStore(identity.load());
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot serve HTTPS: " + e.getMessage(), e);
        }
        ssl.setKeyStorePassword("");
    }

    /** The connector, for Javalin's {@code config.jetty.addConnector} (which then adds no plain-HTTP one). */
    public ServerConnector create(Server server, HttpConfiguration http, String host, int port) {
        http.addCustomizer(new SecureRequestCustomizer()); // the request's scheme becomes https, and so do the URLs we answer
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addBean(watcher()); // started and stopped with the server
        return connector;
    }

    private Scanner watcher() {
        Scanner scanner = new Scanner();
        scanner.setScanInterval(SCAN_SECONDS);
        scanner.setReportExistingFilesOnStartup(false);
        scanner.addFile(identity.certificate());
        scanner.addFile(identity.key());
        scanner.addListener(new Scanner.BulkListener() {
            @Override
            public void pathsChanged(Set<Path> changed) {
                reload();
            }
        });
        return scanner;
    }

    void reload() {
        KeyStore store;
        try {
            store = identity.load();
        } catch (Exception e) {
            log.warn("TLS certificate not reloaded, the one served so far stays: {}", e.getMessage());
            return;
        }
        try {
            ssl.reload(f -> f.setKeyStore(store));
            log.info("TLS certificate reloaded from {} and {}", identity.certificate(), identity.key());
        } catch (Exception e) {
            log.warn("TLS certificate not reloaded, the one served so far stays: {}", e.toString());
        }
    }
}
