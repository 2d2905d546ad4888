package dev.stratus.dimse;

import dev.stratus.archive.ingest.IngestService;
import dev.stratus.dimse.association.Association;
import dev.stratus.dimse.association.Negotiator;
import dev.stratus.dimse.service.DimseServices;
import dev.stratus.dimse.service.FindScp;
import dev.stratus.dimse.service.StorageScp;
import dev.stratus.dimse.service.VerificationScp;
import dev.stratus.index.Index;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The DICOM network service (PS3.7, PS3.8): a TCP listener that runs each association on its own virtual
 * thread, providing Verification (C-ECHO), every Storage SOP class (C-STORE, through the archive's ingest
 * path) and Patient/Study Root Query/Retrieve FIND (C-FIND, through the index's QIDO-RS matching).
 */
public final class DimseServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DimseServer.class);

    private final DimseSettings settings;
    private final Negotiator negotiator;
    private final DimseServices services;
    private final Set<Association> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong serial = new AtomicLong();
    private ServerSocket server;
    private Thread acceptor;
    private Thread watchdog;
    private volatile boolean stopping;

    public DimseServer(DimseSettings settings, IngestService ingest, Index index) {
        this(settings, ingest, index, Authenticator.ACCEPT_ALL);
    }

    public DimseServer(DimseSettings settings, IngestService ingest, Index index, Authenticator authenticator) {
        this.settings = settings;
        TenantPolicy tenants = new TenantPolicy(settings);
        this.services = new DimseServices(java.util.List.of(
                new VerificationScp(),
                new StorageScp(ingest, tenants, settings.spoolDir()),
                new FindScp(index, tenants, settings.aeTitle())));
        this.negotiator = new Negotiator(settings, tenants, authenticator, services);
    }

    /** Binds and starts accepting associations; returns the bound port (useful with port 0). */
    public synchronized int start() throws IOException {
        if (server != null) throw new IllegalStateException("already started");
        Files.createDirectories(settings.spoolDir());
        deleteLeftoverSpoolFiles();
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), settings.port()), 128);
        server = s;
        acceptor = Thread.ofPlatform().name("dimse-acceptor").daemon().start(this::acceptLoop);
        watchdog = Thread.ofVirtual().name("dimse-watchdog").start(this::watchLoop);
        log.info("DICOM service {} listening on {}:{}", settings.aeTitle(), settings.bindAddress(), s.getLocalPort());
        return s.getLocalPort();
    }

    /** Spool files of a previous process that stopped mid-instance: never acknowledged, so never needed. */
    private void deleteLeftoverSpoolFiles() throws IOException {
        try (var files = Files.newDirectoryStream(settings.spoolDir(), "c-store-*.dcm")) {
            for (java.nio.file.Path p : files) Files.deleteIfExists(p);
        }
    }

    /** The bound port, or -1 before start. */
    public int port() {
        ServerSocket s = server;
        return s == null ? -1 : s.getLocalPort();
    }

    /** Number of associations currently open (negotiating or established). */
    public int openAssociations() {
        return live.size();
    }

    private void acceptLoop() {
        while (!stopping) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!stopping) log.error("DICOM listener failed: {}", e.toString());
                return;
            }
            // The limit is checked here but answered after the A-ASSOCIATE-RQ: PS3.8 rejects with A-ASSOCIATE-RJ, not a reset.
            boolean overLimit = live.size() >= settings.maxAssociations();
            Association a = new Association(socket, settings, negotiator, services, overLimit, "assoc-" + serial.incrementAndGet());
            live.add(a);
            Thread.ofVirtual().name(a.toString()).start(() -> {
                try {
                    a.run();
                } finally {
                    live.remove(a);
                }
            });
        }
    }

    /** Closes connections whose peer stopped reading our responses: a blocked socket write has no timeout. */
    private void watchLoop() {
        while (!stopping) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            for (Association a : live) {
                if (a.writeStalled()) {
                    log.warn("{}: peer has not read for longer than the idle timeout, closing", a);
                    a.close();
                }
            }
        }
    }

    /** Stops listening and closes every open association (their partial objects are discarded, never stored). */
    @Override
    public synchronized void close() {
        stopping = true;
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (watchdog != null) watchdog.interrupt();
        for (Association a : live) a.close();
        try {
            if (acceptor != null) acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
