package dev.stratus.dimse;

import dev.stratus.archive.Archive;
import dev.stratus.archive.audit.AuditLog;
import dev.stratus.dimse.association.OperationAudit;
import dev.stratus.dimse.tls.DimseTls;
import dev.stratus.dimse.tls.TlsListener;
import dev.stratus.dimse.association.Association;
import dev.stratus.dimse.association.Negotiator;
import dev.stratus.dimse.association.Refusal;
import dev.stratus.dimse.service.DimseServices;
import dev.stratus.dimse.service.FindScp;
import dev.stratus.dimse.service.RetrieveScp;
import dev.stratus.dimse.service.StorageCommitmentScp;
import dev.stratus.dimse.service.StorageScp;
import dev.stratus.dimse.service.VerificationScp;
import dev.stratus.index.Index;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The DICOM network service (PS3.7, PS3.8): a TCP listener that runs each association on its own virtual
 * thread, providing Verification (C-ECHO), every Storage SOP class (C-STORE, through the archive's ingest
 * path), Patient/Study Root Query/Retrieve FIND (C-FIND, through the index's QIDO-RS matching), and MOVE and
 * GET (C-MOVE, C-GET: the same matching, instances sent from the archive's RetrieveService), and Storage
 * Commitment Push Model (N-ACTION, then N-EVENT-REPORT).
 * Connections over a limit ({@link Admission}) are refused at once without taking a slot; a watchdog closes
 * set-ups that outlast ARTIM and connections whose peer stopped reading.
 * With {@link DimseTls}, a second port serves the same associations over TLS (its handshake under the same ARTIM
 * deadline, on the association's own thread), where a client certificate can bind the tenant; the plain port can
 * then be closed (port -1). Each operation on the archive's data leaves one record in the audit trail.
 */
public final class DimseServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DimseServer.class);

    private final DimseSettings settings;
    private final Negotiator negotiator;
    private final DimseServices services;
    private final Admission admission;
    private final AtomicInteger refusing = new AtomicInteger();
    private final AtomicLong serial = new AtomicLong();
    private final TlsListener tls; // null: no TLS port
    private final OperationAudit audit;
    private ServerSocket server; // null: no plain port
    private ServerSocket tlsServer;
    private Thread acceptor, tlsAcceptor;
    private Thread watchdog;
    private volatile boolean stopping;

    public DimseServer(DimseSettings settings, Archive archive) {
        this(settings, archive, Authenticator.ACCEPT_ALL);
    }

    public DimseServer(DimseSettings settings, Archive archive, Authenticator authenticator) {
        this(settings, archive, authenticator, null, AuditLog.OFF);
    }

    /**
     * @param tls   the TLS port, or null for none (its certificate files are read here: a bad set stops start-up)
     * @param audit where one record per operation goes ({@link AuditLog#OFF}: nowhere); its owner closes it after {@link #stop}
     */
    public DimseServer(DimseSettings settings, Archive archive, Authenticator authenticator, DimseTls tls, AuditLog audit) {
        if (settings.port() < 0 && tls == null) throw new IllegalArgumentException("the DICOM listener has neither a plain port nor a TLS port");
        this.settings = settings;
        this.admission = new Admission(settings);
        this.tls = tls == null ? null : new TlsListener(tls);
        TenantPolicy tenants = new TenantPolicy(settings);
        this.audit = new OperationAudit(audit, tenants);
        Index index = archive.index();
        this.services = new DimseServices(java.util.List.of(
                new VerificationScp(),
                new StorageScp(archive.ingest(), tenants, settings.spoolDir()),
                new FindScp(index, tenants, settings.aeTitle()),
                RetrieveScp.move(index, archive.retrieve(), tenants, settings),
                RetrieveScp.get(index, archive.retrieve(), tenants, settings),
                new StorageCommitmentScp(index, tenants, settings)));
        this.negotiator = new Negotiator(settings, tenants, authenticator, services, tls == null ? java.util.List.of() : tls.peers());
    }

    /** The services offered, which decide the presentation contexts accepted (the conformance statement's source). */
    public DimseServices services() {
        return services;
    }

    /** Binds and starts accepting associations; returns the bound plain port (useful with port 0), or -1 when there is none. */
    public synchronized int start() throws IOException {
        if (watchdog != null) throw new IllegalStateException("already started");
        Files.createDirectories(settings.spoolDir());
        deleteLeftoverSpoolFiles();
        if (settings.port() >= 0) {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), settings.port()), 128);
            server = s;
            acceptor = Thread.ofPlatform().name("dimse-acceptor").daemon().start(() -> acceptLoop(s));
            log.info("DICOM service {} listening on {}:{}", settings.aeTitle(), settings.bindAddress(), s.getLocalPort());
        }
        if (tls != null) {
            ServerSocket s = tls.bind();
            tlsServer = s;
            tlsAcceptor = Thread.ofPlatform().name("dimse-tls-acceptor").daemon().start(() -> acceptLoop(s));
            log.info("DICOM service {} listening for TLS on {}:{} (client certificates {})", settings.aeTitle(), tls.settings().bindAddress(),
                    s.getLocalPort(), tls.settings().clientAuth().name().toLowerCase(java.util.Locale.ROOT));
        }
        watchdog = Thread.ofVirtual().name("dimse-watchdog").start(this::watchLoop);
        return port();
    }

    /** Spool files of a previous process that stopped mid-instance: never acknowledged, so never needed. */
    private void deleteLeftoverSpoolFiles() throws IOException {
        try (var files = Files.newDirectoryStream(settings.spoolDir(), "c-store-*.dcm")) {
            for (java.nio.file.Path p : files) Files.deleteIfExists(p);
        }
    }

    /** The bound plain port, or -1 before start or without one. */
    public int port() {
        ServerSocket s = server;
        return s == null ? -1 : s.getLocalPort();
    }

    /** The bound TLS port, or -1 before start or without one. */
    public int tlsPort() {
        ServerSocket s = tlsServer;
        return s == null ? -1 : s.getLocalPort();
    }

    /** Number of associations currently open (being set up or established), refused connections not counted. */
    public int openAssociations() {
        return admission.size();
    }

    private void acceptLoop(ServerSocket listener) {
        while (!stopping) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!stopping) log.error("DICOM listener failed: {}", e.toString());
                return;
            }
            Association a = new Association(socket, settings, negotiator, services, audit, "assoc-" + serial.incrementAndGet());
            String refused = admission.admit(a);
            if (refused == null) {
                Thread.ofVirtual().name(a.toString()).start(() -> {
                    try {
                        a.run();
                    } finally {
                        admission.release(a);
                    }
                });
            } else {
                refuse(socket, refused);
            }
        }
    }

    /** Answered on a thread of its own within a short grace; past as many refusals at once as there are slots, closed at once. */
    private void refuse(Socket socket, String why) {
        if (refusing.incrementAndGet() > settings.maxAssociations()) {
            refusing.decrementAndGet();
            log.debug("refused {}: {}; closed at once (too many refusals in progress)", socket.getRemoteSocketAddress(), why);
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            return;
        }
        Refusal r = new Refusal(socket, admission.refusalGrace(), why);
        Thread.ofVirtual().name("dimse-refusal").start(() -> {
            try {
                r.run();
            } finally {
                refusing.decrementAndGet();
            }
        });
    }

    /**
     * Closes set-ups that outlast ARTIM (reads time out by themselves; this covers a slow negotiation or an
     * A-ASSOCIATE-AC the peer does not read) and connections whose peer stopped reading: a blocked socket write has no timeout.
     */
    private void watchLoop() {
        while (!stopping) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            if (tls != null) tls.reloadIfChanged();
            long now = System.nanoTime();
            for (Association a : admission.snapshot()) {
                if (a.setUpOverdue(now)) {
                    log.warn("{}: association set-up not complete within {} (ARTIM), closing", a, settings.artimTimeout());
                    a.close();
                } else if (a.writeStalled()) {
                    log.warn("{}: peer has not read for longer than the idle timeout, closing", a);
                    a.close();
                }
            }
        }
    }

    /** Stops listening and closes every open association (their partial objects are discarded, never stored). */
    @Override
    public void close() {
        stop(Duration.ZERO);
    }

    /**
     * Stops gracefully: no new connection is accepted, associations in progress get up to {@code drain} to end as
     * their peers release them (a modality sending a study finishes it), then the rest are closed (their partial
     * objects are discarded, never stored; a peer holding an idle association open is cut off at the deadline).
     */
    public synchronized void stop(Duration drain) {
        stopping = true;
        for (ServerSocket s : new ServerSocket[]{server, tlsServer}) {
            if (s == null) continue;
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        long deadline = System.nanoTime() + drain.toNanos();
        try {
            while (admission.size() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (watchdog != null) watchdog.interrupt();
        if (admission.size() > 0) log.info("closing {} associations still open after the {} shutdown timeout", admission.size(), drain);
        for (Association a : admission.snapshot()) a.close();
        try {
            if (acceptor != null) acceptor.join(5000);
            if (tlsAcceptor != null) tlsAcceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
