package dev.stratus.dimse;

import dev.stratus.index.TenantId;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the DICOM network service (PS3.7, PS3.8).
 *
 * @param bindAddress                 address to listen on ("0.0.0.0" for all)
 * @param port                        TCP port; 11112 is the IANA "dicom" port for unprivileged use, 0 picks a free one, -1 none
 *                                    (DICOM over TLS only)
 * @param aeTitle                     our AE title, returned as Retrieve AE Title by C-FIND
 * @param defaultTenant               tenant of associations whose called AE title is not mapped
 * @param tenantsByCalledAeTitle      called AE title → tenant
 * @param allowedCallingAeTitles      tenant → calling AE titles allowed to use it; a tenant absent here allows every caller
 * @param acceptUnknownCalledAeTitles accept associations whatever AE title they call (else only {@code aeTitle} and mapped ones)
 * @param artimTimeout                ARTIM timer (PS3.8 9.1.5) as a deadline for the whole set-up: from TCP accept to the
 *                                    A-ASSOCIATE-AC sent (the A-ASSOCIATE-RQ however slowly it drips in, the negotiation);
 *                                    also how long we wait for the peer to close after a release, reject or abort
 * @param idleTimeout                 an established association that does not complete a PDU within this long of starting to
 *                                    wait for it is aborted (bytes dripping in do not extend it); also bounds a blocked write
 * @param maxPduLength                our Maximum Length Received (PS3.8 D.1), also the cap on the PDUs we send
 * @param maxAssociations             concurrent connections, being set up or established; more are refused transiently
 * @param maxAssociationsPerPeer      of those, from one remote IP address; more from it are refused transiently
 * @param maxPendingAssociations      of those, not yet established (A-ASSOCIATE-AC not sent); when full, a connection silent
 *                                    for {@link #SILENT_AFTER} makes room, else the new one is refused
 * @param spoolDir                    where C-STORE data sets are streamed before ingest
 * @param destinations                C-MOVE destinations every tenant may name: AE title → host and port
 * @param tenantDestinations          tenant → C-MOVE destinations of that tenant only (they win over {@code destinations})
 * @param maxConcurrentMoves          C-MOVEs sending at once, each over one association of ours; more are refused (0xA702)
 * @param commitmentReportOnNewAssociation Storage Commitment results (N-EVENT-REPORT) on a new association to the requestor,
 *                                    found in the destinations by its calling AE title; else on the association of its N-ACTION
 */
public record DimseSettings(String bindAddress, int port, String aeTitle, TenantId defaultTenant,
                            Map<String, TenantId> tenantsByCalledAeTitle, Map<TenantId, Set<String>> allowedCallingAeTitles,
                            boolean acceptUnknownCalledAeTitles, Duration artimTimeout, Duration idleTimeout,
                            int maxPduLength, int maxAssociations, int maxAssociationsPerPeer, int maxPendingAssociations,
                            Path spoolDir, Map<String, Destination> destinations,
                            Map<TenantId, Map<String, Destination>> tenantDestinations, int maxConcurrentMoves,
                            boolean commitmentReportOnNewAssociation) {

    public static final int DEFAULT_PORT = 11112;
    public static final String DEFAULT_AE_TITLE = "STRATUS";
    /**
     * 64 KiB: each association holds at most one received PDU in memory, so this times the number of
     * associations bounds the buffers (1,000 associations: 64 MiB; at 1 MiB it would be 1 GiB), while the
     * 12 bytes of PDU and PDV headers are already under 0.02% of a PDU this size. Peers mostly send 16 KiB anyway.
     */
    public static final int DEFAULT_MAX_PDU_LENGTH = 64 * 1024;
    /** PS3.8 sets no minimum; below this, headers would outweigh the data. */
    public static final int MIN_MAX_PDU_LENGTH = 1024;
    /** Above this a single PDU buffer per association becomes a memory risk. */
    public static final int MAX_MAX_PDU_LENGTH = 16 * 1024 * 1024;

    /**
     * 10 s: a requestor sends its A-ASSOCIATE-RQ within a round trip of connecting, so this is generous for any
     * network, while a silent connection gives its slot back three times sooner than DCMTK's 30 s default.
     */
    public static final Duration DEFAULT_ARTIM_TIMEOUT = Duration.ofSeconds(10);
    /** 5 minutes: modalities keep an association open between the images of one acquisition. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_ASSOCIATIONS = 500;
    /**
     * 50: a tenth of the default total, more than a router or a migration tool opens in parallel (tens), so no
     * one address (a broken or hostile peer, or many sockets from one script) can take every slot.
     */
    public static final int DEFAULT_MAX_ASSOCIATIONS_PER_PEER = 50;
    /**
     * 8: each move holds one outgoing association and one instance in flight; a handful at once keeps a disk and a
     * network busy, while a burst of C-MOVEs (a viewer prefetching) cannot open hundreds of connections from us.
     */
    public static final int DEFAULT_MAX_CONCURRENT_MOVES = 8;
    /** 64: real set-ups last milliseconds, so this many at once is a burst of modalities; silent ones are evicted. */
    public static final int DEFAULT_MAX_PENDING_ASSOCIATIONS = 64;
    /**
     * A connection still waiting for its A-ASSOCIATE-RQ after this long is presumed silent: a new connection may
     * take its set-up slot, and a connection refused for lack of slots is closed if it sent no request by then.
     */
    public static final Duration SILENT_AFTER = Duration.ofSeconds(2);

    public DimseSettings {
        if (bindAddress == null || bindAddress.isBlank()) throw new IllegalArgumentException("dimse bind address is empty");
        if (port < -1 || port > 65535) throw new IllegalArgumentException("dimse port " + port + " is not 0 to 65535 (or -1: no plain port)");
        requireAeTitle(aeTitle, "dimse AE title");
        if (defaultTenant == null) throw new IllegalArgumentException("dimse default tenant is missing");
        tenantsByCalledAeTitle = Map.copyOf(tenantsByCalledAeTitle);
        tenantsByCalledAeTitle.keySet().forEach(ae -> requireAeTitle(ae, "called AE title in the tenant map"));
        allowedCallingAeTitles = allowedCallingAeTitles.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Set.copyOf(e.getValue())));
        if (artimTimeout.isNegative() || artimTimeout.isZero()) throw new IllegalArgumentException("dimse ARTIM timeout must be positive");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("dimse idle timeout must be positive");
        if (maxPduLength < MIN_MAX_PDU_LENGTH || maxPduLength > MAX_MAX_PDU_LENGTH) {
            throw new IllegalArgumentException("dimse max PDU length " + maxPduLength + " is not " + MIN_MAX_PDU_LENGTH + " to " + MAX_MAX_PDU_LENGTH);
        }
        if (maxAssociations < 1) throw new IllegalArgumentException("dimse max associations must be at least 1");
        if (maxAssociationsPerPeer < 1) throw new IllegalArgumentException("dimse max associations per peer must be at least 1");
        if (maxPendingAssociations < 1) throw new IllegalArgumentException("dimse max pending associations must be at least 1");
        if (spoolDir == null) throw new IllegalArgumentException("dimse spool directory is missing");
        destinations = Map.copyOf(destinations);
        destinations.keySet().forEach(ae -> requireAeTitle(ae, "C-MOVE destination"));
        tenantDestinations = tenantDestinations.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
        tenantDestinations.forEach((t, m) -> m.keySet().forEach(ae -> requireAeTitle(ae, "C-MOVE destination of tenant " + t)));
        if (maxConcurrentMoves < 1) throw new IllegalArgumentException("dimse max concurrent moves must be at least 1");
    }

    /** Where a C-MOVE destination AE title is reached. */
    public record Destination(String host, int port) {
        public Destination {
            if (host == null || host.isBlank()) throw new IllegalArgumentException("C-MOVE destination host is empty");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("C-MOVE destination port " + port + " is not 1 to 65535");
        }

        @Override
        public String toString() { return host + ":" + port; }
    }

    /** C-MOVE destinations for every tenant and per tenant, and how many moves may send at once. */
    public DimseSettings withMoves(Map<String, Destination> destinations, Map<TenantId, Map<String, Destination>> tenantDestinations, int maxConcurrentMoves) {
        return new DimseSettings(bindAddress, port, aeTitle, defaultTenant, tenantsByCalledAeTitle, allowedCallingAeTitles,
                acceptUnknownCalledAeTitles, artimTimeout, idleTimeout, maxPduLength, maxAssociations, maxAssociationsPerPeer, maxPendingAssociations,
                spoolDir, destinations, tenantDestinations, maxConcurrentMoves, commitmentReportOnNewAssociation);
    }

    /** Whether Storage Commitment results go on a new association to the requestor (its address from the destinations) instead of its own. */
    public DimseSettings withCommitmentReportOnNewAssociation(boolean onNew) {
        return new DimseSettings(bindAddress, port, aeTitle, defaultTenant, tenantsByCalledAeTitle, allowedCallingAeTitles,
                acceptUnknownCalledAeTitles, artimTimeout, idleTimeout, maxPduLength, maxAssociations, maxAssociationsPerPeer, maxPendingAssociations,
                spoolDir, destinations, tenantDestinations, maxConcurrentMoves, onNew);
    }

    /** Port 11112, AE title STRATUS, default tenant, ARTIM 10 s, idle 5 min, 64 KiB PDUs, 500 associations, 50 per peer, 64 being set up. */
    public static DimseSettings defaults() {
        return new DimseSettings("0.0.0.0", DEFAULT_PORT, DEFAULT_AE_TITLE, TenantId.DEFAULT, Map.of(), Map.of(), true,
                DEFAULT_ARTIM_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_PDU_LENGTH, DEFAULT_MAX_ASSOCIATIONS,
                DEFAULT_MAX_ASSOCIATIONS_PER_PEER, DEFAULT_MAX_PENDING_ASSOCIATIONS,
                Path.of(System.getProperty("java.io.tmpdir"), "stratus-dimse"), Map.of(), Map.of(), DEFAULT_MAX_CONCURRENT_MOVES, false);
    }

    public DimseSettings withListen(String address, int port) {
        return new DimseSettings(address, port, aeTitle, defaultTenant, tenantsByCalledAeTitle, allowedCallingAeTitles,
                acceptUnknownCalledAeTitles, artimTimeout, idleTimeout, maxPduLength, maxAssociations, maxAssociationsPerPeer, maxPendingAssociations, spoolDir, destinations, tenantDestinations, maxConcurrentMoves, commitmentReportOnNewAssociation);
    }

    public DimseSettings withTenants(TenantId defaultTenant, Map<String, TenantId> byCalledAeTitle, Map<TenantId, Set<String>> allowedCalling) {
        return new DimseSettings(bindAddress, port, aeTitle, defaultTenant, byCalledAeTitle, allowedCalling,
                acceptUnknownCalledAeTitles, artimTimeout, idleTimeout, maxPduLength, maxAssociations, maxAssociationsPerPeer, maxPendingAssociations, spoolDir, destinations, tenantDestinations, maxConcurrentMoves, commitmentReportOnNewAssociation);
    }

    public DimseSettings withTimeouts(Duration artim, Duration idle) {
        return new DimseSettings(bindAddress, port, aeTitle, defaultTenant, tenantsByCalledAeTitle, allowedCallingAeTitles,
                acceptUnknownCalledAeTitles, artim, idle, maxPduLength, maxAssociations, maxAssociationsPerPeer, maxPendingAssociations, spoolDir, destinations, tenantDestinations, maxConcurrentMoves, commitmentReportOnNewAssociation);
    }

    public DimseSettings withLimits(int maxPduLength, int maxAssociations) {
        return new DimseSettings(bindAddress, port, aeTitle, defaultTenant, tenantsByCalledAeTitle, allowedCallingAeTitles,
                acceptUnknownCalledAeTitles, artimTimeout, idleTimeout, maxPduLength, maxAssociations, maxAssociationsPerPeer, maxPendingAssociations, spoolDir, destinations, tenantDestinations, maxConcurrentMoves, commitmentReportOnNewAssociation);
    }

    /** Connections in all, from one remote address, and not yet established (see the record's parameters). */
    public DimseSettings withAssociationLimits(int maxAssociations, int maxPerPeer, int maxPending) {
        return new DimseSettings(bindAddress, port, aeTitle, defaultTenant, tenantsByCalledAeTitle, allowedCallingAeTitles,
                acceptUnknownCalledAeTitles, artimTimeout, idleTimeout, maxPduLength, maxAssociations, maxPerPeer, maxPending, spoolDir, destinations, tenantDestinations, maxConcurrentMoves, commitmentReportOnNewAssociation);
    }

    public DimseSettings withSpoolDir(Path dir) {
        return new DimseSettings(bindAddress, port, aeTitle, defaultTenant, tenantsByCalledAeTitle, allowedCallingAeTitles,
                acceptUnknownCalledAeTitles, artimTimeout, idleTimeout, maxPduLength, maxAssociations, maxAssociationsPerPeer, maxPendingAssociations, dir, destinations, tenantDestinations, maxConcurrentMoves, commitmentReportOnNewAssociation);
    }

    public DimseSettings withCalledAeTitlePolicy(String aeTitle, boolean acceptUnknownCalledAeTitles) {
        return new DimseSettings(bindAddress, port, aeTitle, defaultTenant, tenantsByCalledAeTitle, allowedCallingAeTitles,
                acceptUnknownCalledAeTitles, artimTimeout, idleTimeout, maxPduLength, maxAssociations, maxAssociationsPerPeer, maxPendingAssociations, spoolDir, destinations, tenantDestinations, maxConcurrentMoves, commitmentReportOnNewAssociation);
    }

    /** PS3.5 6.2 AE: 1 to 16 characters of the default repertoire, no backslash or control characters, not all spaces. */
    public static boolean isValidAeTitle(String ae) {
        if (ae == null || ae.isBlank() || ae.length() > 16) return false;
        for (int i = 0; i < ae.length(); i++) {
            char c = ae.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '\\') return false;
        }
        return true;
    }

    private static void requireAeTitle(String ae, String what) {
        if (!isValidAeTitle(ae)) throw new IllegalArgumentException(what + " '" + ae + "' is not 1 to 16 printable characters without backslash");
    }
}
