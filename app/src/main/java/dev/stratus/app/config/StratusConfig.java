package dev.stratus.app.config;

import dev.stratus.archive.Archive;
import dev.stratus.archive.metadata.MetadataWorker;
import dev.stratus.codec.ParseBudget;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.index.RetryPolicy;
import dev.stratus.index.TenantId;
import dev.stratus.pipeline.EventTopics;
import dev.stratus.pipeline.KafkaEventBus;
import dev.stratus.storage.BlobStoreFactory;
import dev.stratus.storage.S3Options;
import dev.stratus.web.auth.Authorization;
import dev.stratus.web.http.TrustedProxies;
import dev.stratus.archive.tls.PemIdentity;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Every setting of the archive: the YAML tree, one record per section, bound by {@link ConfigLoader} from (lowest to
 * highest precedence) the {@link Default}s here, the YAML file, STRATUS_* environment variables and command-line
 * options.
 * <p>To add a setting, add a component to its section's record (a new section: a new record, and a component of this
 * one named as the section) with its {@link Default} (none: null when not given) and, for a number or a duration, its
 * {@link Range} or {@link Positive}; then a row in docs/configuration.md's table, which ConfigurationDocTest compares
 * with this tree. Its key is the path of component names, its environment variable follows from the key
 * ({@link Setting#environmentName}); an option of {@code serve} is one more line in ServeCommand.settings().
 */
public record StratusConfig(
        List<String> roles,
        Http http,
        Auth auth,
        Audit audit,
        @Default("./stratus-data") Path dataDir,
        Index index,
        Storage storage,
        Metadata metadata,
        Cors cors,
        Dimse dimse,
        Ingest ingest,
        Stow stow,
        Kafka kafka,
        Viewer viewer,
        Map<String, Tenant> tenants,
        @Default("30") Duration shutdownTimeoutSeconds) {

    /** What a node does: serve DICOMweb, build series metadata documents, listen for DICOM associations. */
    public enum Role {
        API, WORKER, DIMSE;

        static final List<String> ALL_KEYS = java.util.Arrays.stream(values()).map(Role::key).toList();

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public StratusConfig {
        if (roles == null) roles = Role.ALL_KEYS;
        if (roles.isEmpty()) throw new InvalidSetting("roles", "names no role: give one or more of api, worker, dimse");
        for (String r : roles) {
            if (!Role.ALL_KEYS.contains(r)) throw new InvalidSetting("roles", "holds '" + r + "', which is none of api, worker, dimse");
        }
        roles = List.copyOf(new java.util.LinkedHashSet<>(roles));
        http = http.listening(auth.issuer() != null);
        if (dimse.enabled() && dimse.tls().port() != null && dimse.tls().cert() == null && http.tls().cert() == null) {
            throw new InvalidSetting("dimse.tls.cert", "must be given for dimse.tls.port " + dimse.tls().port()
                    + " (a PEM certificate chain, with dimse.tls.key), or http.tls.cert and http.tls.key for both ports");
        }
        if (dimse.enabled() && dimse.port() < 0 && dimse.tls().port() == null) {
            throw new InvalidSetting("dimse.port", "is -1 (no plain port) and dimse.tls.port is not set: the DICOM listener would have no port; "
                    + "set dimse.tls.port, or dimse.enabled false");
        }
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
        for (String name : tenants.keySet()) {
            if (!name.equals("*") && !TenantId.isValid(name)) {
                throw new InvalidSetting("tenants." + name, "is not a tenant name (1 to 64 of A-Z a-z 0-9 . _ -, or \"*\" for every other)");
            }
        }
    }

    /**
     * The HTTP listener.
     *
     * @param trustedProxies addresses or CIDR ranges whose Forwarded / X-Forwarded-* headers are believed (none: nobody's)
     * @param metricsPort -1: /metrics on the main port, behind the metrics permission; else a port of its own, without token
     * @param host null when not given: loopback, or every interface when an issuer is set ({@link #listening})
     * @param allowAnonymous lets a host other machines reach listen without authorization (a trusted network only)
     */
    public record Http(
            @Default("8080") @Range(min = 0, max = 65535) int port,
            String host,
            List<String> trustedProxies,
            @Default("-1") @Range(min = -1, max = 65535) int metricsPort,
            @Default("false") boolean allowAnonymous,
            Tls tls) {
        public Http {
            host = host == null ? null : host.strip();
            if (host != null && host.isEmpty()) throw new InvalidSetting("host", "must name an address to listen on (0.0.0.0: every one)");
            trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
            try {
                TrustedProxies.of(trustedProxies);
            } catch (IllegalArgumentException e) {
                throw new InvalidSetting("trustedProxies", "is refused: " + e.getMessage());
            }
            if (metricsPort == port && port != 0) throw new InvalidSetting("metricsPort", "must differ from http.port (" + port + "), or be -1 for /metrics on it");
        }

        /**
         * The host to listen on, safe by default: with authorization off, this machine only unless another address is
         * named and anonymous access allowed, since whoever reaches the port would read and write every tenant.
         */
        Http listening(boolean authorized) {
            String h = host != null ? host : authorized ? "0.0.0.0" : "127.0.0.1";
            if (!authorized && !allowAnonymous && !isLoopback(h)) {
                throw new InvalidSetting("http.host", "is " + h + ", which other machines can reach, and authorization is off: "
                        + "set auth.issuer and auth.audience (--auth-issuer, --auth-audience), or allow anonymous access on a trusted "
                        + "network with http.allowAnonymous (--allow-anonymous)");
            }
            return new Http(port, h, trustedProxies, metricsPort, allowAnonymous, tls);
        }

        /** Whether only this machine can reach {@code host} (a name is resolved; one that does not resolve is no loopback). */
        public static boolean isLoopback(String host) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        public TrustedProxies proxies() {
            return TrustedProxies.of(trustedProxies);
        }
    }

    /** HTTPS on the main port from PEM files, reloaded when they change; neither given: plain HTTP. */
    public record Tls(Path cert, Path key) {
        public Tls {
            if ((cert == null) != (key == null)) throw new InvalidSetting(cert == null ? "cert" : "key", "must be given too: HTTPS needs both the certificate and its key");
        }

        /** The PEM pair, or null for plain HTTP. */
        public PemIdentity identity() {
            return cert == null ? null : new PemIdentity(cert, key);
        }
    }

    /**
     * Bearer-token authorization (docs/security.md): off while no issuer is set, else every DICOMweb request needs a token
     * of that issuer for that audience, granting the tenant it addresses and the permission its route needs.
     *
     * @param algorithms null: RS256, ES256, PS256
     */
    public record Auth(
            String issuer,
            String audience,
            @Default("tenant") String tenantClaim,
            @Default("scope") String permissionClaim,
            Permissions permissions,
            @Default("30") Duration clockSkewSeconds,
            List<String> algorithms,
            @Default("30") Duration keyRefetchSeconds,
            String browserClientId) {
        public Auth {
            browserClientId = browserClientId == null || browserClientId.isBlank() ? null : browserClientId.strip();
            issuer = issuer == null || issuer.isBlank() ? null : issuer.strip();
            audience = audience == null || audience.isBlank() ? null : audience.strip();
            algorithms = algorithms == null ? null : algorithms.stream().map(String::strip).toList();
            if (issuer != null && audience == null) {
                throw new InvalidSetting("audience", "is required with auth.issuer: without one, a token the provider issued to any other "
                        + "application would be accepted here");
            }
            authorization(issuer, audience, tenantClaim, permissionClaim, permissions, clockSkewSeconds, algorithms, keyRefetchSeconds, browserClientId);
        }

        /** What the web layer demands of tokens; {@link Authorization#OFF} without an issuer. */
        public Authorization authorization() {
            return authorization(issuer, audience, tenantClaim, permissionClaim, permissions, clockSkewSeconds, algorithms, keyRefetchSeconds, browserClientId);
        }

        /** Each part refused under its own key (static: the compact constructor checks before the fields are set). */
        private static Authorization authorization(String issuer, String audience, String tenantClaim, String permissionClaim,
                                                   Permissions permissions, Duration clockSkewSeconds, List<String> algorithms,
                                                   Duration keyRefetchSeconds, String browserClientId) {
            Authorization a = refusedAs("issuer", () -> Authorization.oidc(issuer, audience));
            Authorization.Permissions names = refusedAs("permissions", () -> new Authorization.Permissions(
                    permissions.read(), permissions.write(), permissions.delete(), permissions.metrics()));
            Authorization claims = refusedAs("tenantClaim", () -> a.withTenantClaim(tenantClaim));
            Authorization granted = refusedAs("permissionClaim", () -> claims.withPermissions(permissionClaim, names));
            Authorization skew = refusedAs("clockSkewSeconds", () -> granted.withClockSkew(clockSkewSeconds));
            Authorization refetch = refusedAs("keyRefetchSeconds", () -> skew.withKeyRefetchInterval(keyRefetchSeconds));
            Authorization checked = refusedAs("algorithms", () -> new Authorization(refetch.issuer(), refetch.audience(), refetch.tenantClaim(),
                    refetch.permissionClaim(), refetch.permissions(), refetch.clockSkew(),
                    algorithms == null ? Authorization.DEFAULT_ALGORITHMS : Set.copyOf(algorithms), refetch.keyRefetchInterval(), null));
            return refusedAs("browserClientId", () -> checked.withBrowserClientId(browserClientId));
        }

        private static <T> T refusedAs(String key, Supplier<T> build) {
            try {
                return build.get();
            } catch (IllegalArgumentException e) {
                throw new InvalidSetting(key, "is refused: " + e.getMessage());
            }
        }
    }

    /**
     * The audit trail: one JSON line per DICOMweb request and per DICOM operation.
     *
     * @param sink off, stdout, or file:PATH (appended to)
     * @param queueSize records held while the sink is behind; beyond them records are dropped and counted, requests never wait
     */
    public record Audit(@Default("off") String sink, @Default("10000") @Range(min = 1, max = 1_000_000) int queueSize) {
        public Audit {
            sink = sink.strip();
            boolean file = sink.regionMatches(true, 0, "file:", 0, 5) && sink.length() > 5;
            if (!sink.equalsIgnoreCase("off") && !sink.equalsIgnoreCase("stdout") && !file) {
                throw new InvalidSetting("sink", "must be off, stdout or file:PATH, was '" + sink + "'");
            }
        }
    }

    /** The names, in the token's permission claim, that grant each capability. */
    public record Permissions(
            @Default("dicom.read") String read,
            @Default("dicom.write") String write,
            @Default("dicom.delete") String delete,
            @Default("stratus.metrics") String metrics) {
        public Permissions {
            String[][] named = {{"read", read}, {"write", write}, {"delete", delete}, {"metrics", metrics}};
            for (String[] n : named) {
                if (n[1] == null || n[1].isBlank() || n[1].chars().anyMatch(Character::isWhitespace)) {
                    throw new InvalidSetting(n[0], "must be one word (a scope or role name), was '" + n[1] + "'");
                }
            }
        }
    }

    /** @param url null: the embedded SQLite index in dataDir/index */
    public record Index(String url, String user, String password, @Default("true") boolean migrate) {}

    /**
     * @param url  where the blobs are: {@code file:DIR} or {@code s3://BUCKET[/PREFIX]}; null: {@code path}
     * @param path a local directory (the older spelling of a {@code file:} url); null with url null: dataDir/blobs
     */
    public record Storage(String url, Path path, S3 s3, @Default("true") boolean directWrites,
                          @Default("67108864") @Range(min = 0) long reserveBytes) {
        public Storage {
            url = url == null || url.isBlank() ? null : url.strip();
            if (url != null && path != null) throw new InvalidSetting("url", "and storage.path both name the blobs' place: give one");
            if (url != null && !url.startsWith("file:") && !url.startsWith("s3://")) {
                throw new InvalidSetting("url", "must be file:DIR or s3://BUCKET[/PREFIX], was '" + url + "'");
            }
            if (s3 == null) s3 = new S3(null, null, false);
        }
    }

    /**
     * How an {@code s3://} storage url is reached; credentials come from the AWS SDK's default chain.
     *
     * @param endpoint null: AWS S3 itself
     * @param region   null: the SDK's default chain (us-east-1 with an endpoint)
     */
    public record S3(String endpoint, String region, @Default("false") boolean pathStyle) {
        public S3 {
            endpoint = endpoint == null || endpoint.isBlank() ? null : endpoint.strip();
            region = region == null || region.isBlank() ? null : region.strip();
            try {
                if (endpoint != null) new URI(endpoint);
            } catch (URISyntaxException e) {
                throw new InvalidSetting("endpoint", "is not a URL: " + e.getMessage());
            }
            try {
                options(endpoint, region, pathStyle);
            } catch (IllegalArgumentException e) {
                throw new InvalidSetting(e.getMessage().contains("endpoint") ? "endpoint" : "region", e.getMessage());
            }
        }

        private static S3Options options(String endpoint, String region, boolean pathStyle) {
            return new S3Options(endpoint == null ? null : URI.create(endpoint), region, pathStyle);
        }

        S3Options options() {
            return options(endpoint, region, pathStyle);
        }
    }

    /** The series metadata worker: when a series is quiet enough to build, how often to look, how it retries. */
    public record Metadata(
            @Default("true") boolean worker,
            @Default("5") Duration quietSeconds,
            @Default("60") Duration busyQuietSeconds,
            @Default("2") @Positive Duration pollSeconds,
            @Default("5") @Range(min = 0) int maxRetries,
            @Default("300") @Positive Duration leaseSeconds,
            @Default("10") Duration retryBaseSeconds) {

        MetadataWorker.Settings workerSettings() {
            // maxRetries counts tries: the index marks a series FAILED at its maxRetries-th failure, at the first for 0 or 1
            RetryPolicy retries = RetryPolicy.doubling(Math.max(1, maxRetries), retryBaseSeconds);
            return new MetadataWorker.Settings(quietSeconds, busyQuietSeconds, pollSeconds, retries, leaseSeconds);
        }
    }

    /** @param dir where {@code ./stratus viewer install} put OHIF's build, served at /viewer/ when it is there */
    public record Viewer(@Default("./stratus-viewer") Path dir) {}

    public record Cors(List<String> origins) {
        public Cors {
            origins = origins == null ? List.of() : origins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
        }
    }

    /**
     * The DICOM listener: where it listens, what each connection may hold (connections in all, from one remote address and
     * not yet established, the set-up deadline ARTIM from accept to A-ASSOCIATE-AC, the deadline for each PDU once
     * established), which tenant an association reaches by the AE title it calls, and where C-MOVE may send.
     *
     * @param destinations C-MOVE destination AE title → its address, for every tenant (a tenant's own win)
     */
    public record Dimse(
            @Default("true") boolean enabled,
            @Default("11112") @Range(min = -1, max = 65535) int port,
            @Default("127.0.0.1") String host, // DICOM has no authentication: other machines only when named
            @Default("STRATUS") String aeTitle,
            @Default("500") @Range(min = 1) int maxAssociations,
            @Default("50") @Range(min = 1) int maxAssociationsPerPeer,
            @Default("64") @Range(min = 1) int maxPendingAssociations,
            @Default("10") @Positive Duration artimSeconds,
            @Default("300") @Positive Duration idleSeconds,
            @Default("8") @Range(min = 1, max = 1000) int maxConcurrentMoves,
            StorageCommitment storageCommitment,
            Map<String, DimseDestination> destinations,
            Map<String, DimseTenant> tenants,
            DimseTls tls) {

        public Dimse {
            host = host == null ? "" : host.strip();
            try {
                if (host.isEmpty()) throw new UnknownHostException("empty");
                InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new InvalidSetting("host", "must be an address this machine's resolver knows, was '" + host + "': " + e.getMessage());
            }
            if (!DimseSettings.isValidAeTitle(aeTitle)) throw new InvalidSetting("aeTitle", "must be " + AeTitles.WHAT + ", was '" + aeTitle + "'");
            if (storageCommitment == null) storageCommitment = new StorageCommitment(false);
            if (tls == null) tls = new DimseTls(null, null, null, null, null, null, null);
            destinations = DimseDestination.checkTitles(destinations, "destinations");
            tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
            Map<String, String> byCalled = new LinkedHashMap<>();
            for (var t : new TreeMap<>(tenants).entrySet()) { // in name order: the same message every start
                if (!TenantId.isValid(t.getKey())) {
                    throw new InvalidSetting("tenants." + t.getKey(), "is not a tenant name (1 to 64 of A-Z a-z 0-9 . _ -)");
                }
                for (String ae : t.getValue().calledAeTitles()) {
                    String other = byCalled.putIfAbsent(ae, t.getKey());
                    if (other != null) throw new InvalidSetting("tenants", "gives called AE title " + ae + " to two tenants: " + other + " and " + t.getKey());
                }
            }
        }

        /** Called AE title → the tenant it reaches; any other called AE title reaches the default tenant. */
        public Map<String, String> tenantByCalledAeTitle() {
            Map<String, String> map = new LinkedHashMap<>();
            tenants.forEach((tenant, t) -> t.calledAeTitles().forEach(ae -> map.put(ae, tenant)));
            return Map.copyOf(map);
        }

        /** Tenant → the calling AE titles it allows; a tenant not in it allows every caller. */
        public Map<String, List<String>> allowedCallingAeTitles() {
            Map<String, List<String>> map = new LinkedHashMap<>();
            tenants.forEach((tenant, t) -> {
                if (t.allowedCallingAeTitles() != null) map.put(tenant, t.allowedCallingAeTitles());
            });
            return Map.copyOf(map);
        }
    }

    /**
     * DICOM over TLS on a port of its own (PS3.15 B.9 to B.11, BCP 195): its certificate, the CAs trusted for client
     * certificates, and the certificates bound to a tenant (docs/security.md).
     *
     * @param port       null: no TLS port
     * @param host       null: {@code dimse.host}
     * @param cert       null: {@code http.tls.cert} and {@code http.tls.key}, the HTTPS pair
     * @param clientAuth none, optional or required; null: required with a {@code clientCa}, none without
     * @param peers      entry name → a client certificate bound to a tenant
     */
    public record DimseTls(@Range(min = 0, max = 65535) Integer port, String host, Path cert, Path key, Path clientCa, String clientAuth,
                           Map<String, DimsePeer> peers) {
        public DimseTls {
            host = host == null || host.isBlank() ? null : host.strip();
            if ((cert == null) != (key == null)) throw new InvalidSetting(cert == null ? "cert" : "key", "must be given too: TLS needs both the certificate and its key");
            clientAuth = clientAuth == null || clientAuth.isBlank() ? (clientCa == null ? "none" : "required") : clientAuth.strip().toLowerCase(java.util.Locale.ROOT);
            if (!List.of("none", "optional", "required").contains(clientAuth)) throw new InvalidSetting("clientAuth", "must be none, optional or required, was '" + clientAuth + "'");
            if (!clientAuth.equals("none") && clientCa == null) {
                throw new InvalidSetting("clientCa", "must name the PEM bundle of the CAs that issue the client certificates (clientAuth is " + clientAuth + ")");
            }
            peers = peers == null ? Map.of() : Map.copyOf(peers);
            if (!peers.isEmpty() && clientAuth.equals("none")) {
                throw new InvalidSetting("peers", "are known by their client certificates: set clientCa (and clientAuth required or optional)");
            }
            try {
                if (host != null) InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new InvalidSetting("host", "must be an address this machine's resolver knows, was '" + host + "': " + e.getMessage());
            }
        }

        /** The TLS port's settings, or null without one; {@code dimse} gives the default host, {@code https} the default pair. */
        dev.stratus.dimse.tls.DimseTls settings(String dimseHost, Tls https) {
            if (port == null) return null;
            PemIdentity identity = cert != null ? new PemIdentity(cert, key) : https.identity();
            List<dev.stratus.dimse.tls.CertifiedPeer> certified = new TreeMap<>(peers).entrySet().stream() // in name order
                    .map(e -> e.getValue().certified(e.getKey())).toList();
            return new dev.stratus.dimse.tls.DimseTls(host != null ? host : dimseHost, port, identity,
                    dev.stratus.dimse.tls.DimseTls.ClientAuth.valueOf(clientAuth.toUpperCase(java.util.Locale.ROOT)), clientCa, certified);
        }
    }

    /**
     * A client certificate bound to a tenant: by its subject, its subject alternative name, or both.
     *
     * @param subject         distinguished name, as {@code openssl x509 -subject -nameopt RFC2253} prints it (compared in canonical form)
     * @param san             a DNS name, IP address, e-mail address or URI among the certificate's subject alternative names
     * @param callingAeTitles null or empty: any
     */
    public record DimsePeer(String subject, String san, String tenant, List<String> callingAeTitles) {
        public DimsePeer {
            subject = subject == null || subject.isBlank() ? null : subject.strip();
            san = san == null || san.isBlank() ? null : san.strip();
            if (subject == null && san == null) throw new InvalidSetting("subject", "or san must be given: the certificate is known by one of them");
            if (subject != null) {
                try {
                    new javax.security.auth.x500.X500Principal(subject);
                } catch (IllegalArgumentException e) {
                    throw new InvalidSetting("subject", "is not a distinguished name (CN=...,O=...): " + e.getMessage());
                }
            }
            if (tenant == null || !TenantId.isValid(tenant)) throw new InvalidSetting("tenant", "must be a tenant name (1 to 64 of A-Z a-z 0-9 . _ -), was '" + tenant + "'");
            callingAeTitles = AeTitles.check(callingAeTitles == null ? List.of() : callingAeTitles, "callingAeTitles");
        }

        dev.stratus.dimse.tls.CertifiedPeer certified(String name) {
            return new dev.stratus.dimse.tls.CertifiedPeer(name, subject == null ? null : new javax.security.auth.x500.X500Principal(subject), san,
                    new TenantId(tenant), Set.copyOf(callingAeTitles));
        }
    }

    /**
     * @param allowedCallingAeTitles null: every caller
     * @param destinations           C-MOVE destinations of this tenant alone, winning over {@code dimse.destinations}
     */
    public record DimseTenant(List<String> calledAeTitles, List<String> allowedCallingAeTitles, Map<String, DimseDestination> destinations) {
        public DimseTenant {
            calledAeTitles = AeTitles.check(calledAeTitles == null ? List.of() : calledAeTitles, "calledAeTitles");
            if (allowedCallingAeTitles != null) allowedCallingAeTitles = AeTitles.check(allowedCallingAeTitles, "allowedCallingAeTitles");
            destinations = DimseDestination.checkTitles(destinations, "destinations");
        }
    }

    /**
     * Where a C-MOVE destination (the map's key, its AE title) is reached; also where a Storage Commitment report goes
     * on a new association.
     *
     * @param port required: a destination on a guessed port would receive nothing
     */
    public record DimseDestination(String host, @Range(min = 1, max = 65535) Integer port) {
        public DimseDestination {
            host = host == null ? "" : host.strip();
            if (host.isEmpty()) throw new InvalidSetting("host", "must name the destination's address (a host name or an IP address)");
            if (port == null) throw new InvalidSetting("port", "must be given (1 to 65535)");
        }

        /** The map's keys are AE titles; {@code key} is where the map is, for the message. */
        static Map<String, DimseDestination> checkTitles(Map<String, DimseDestination> byAeTitle, String key) {
            if (byAeTitle == null) return Map.of();
            for (var e : new TreeMap<>(byAeTitle).entrySet()) { // in AE title order: the same message every start
                if (!DimseSettings.isValidAeTitle(e.getKey())) {
                    throw new InvalidSetting(key + "." + e.getKey(), "is not " + AeTitles.WHAT + " of a C-MOVE destination");
                }
            }
            return Map.copyOf(byAeTitle);
        }
    }

    /** Storage Commitment Push Model (PS3.4 J). */
    public record StorageCommitment(@Default("false") boolean reportOnNewAssociation) {}

    /** The parse budget of every object offered for storage (each limit up to ParseBudget.MAXIMUM's), and how many stores run at once. */
    public record Ingest(
            @Default("1000000") @Range(min = 1, max = 50_000_000) long maxElements,
            @Default("64") @Range(min = 1, max = 256) int maxDepth,
            @Default("67108864") @Range(min = 1, max = Integer.MAX_VALUE - 16) long maxValueBytes,
            @Default("536870912") @Range(min = 1, max = 64L << 30) long maxInflatedBytes,
            @Default("100") @Range(min = 1, max = 1100) int maxInflateRatio,
            @Default("64") @Range(min = 1) int maxConcurrent,
            @Default("5") Duration queueSeconds) {

        public ParseBudget budget() {
            return new ParseBudget(maxElements, maxDepth, maxValueBytes, maxInflatedBytes, maxInflateRatio);
        }
    }

    public record Stow(@Default("10000") @Range(min = 1) int maxParts) {}

    /**
     * The event log between nodes (docs/events.md): with {@code bootstrap} set, stores and deletes write their events into
     * the index's outbox and a relay sends them to Kafka; unset, events stay in this process.
     *
     * @param bootstrap host:port[,host:port...] of Kafka brokers; null: the in-process event bus
     */
    public record Kafka(String bootstrap, Topics topics,
                        @Default("30") Duration deliveryTimeoutSeconds,
                        @Default("120") Duration outboxLeaseSeconds) {
        public Kafka {
            bootstrap = bootstrap == null || bootstrap.isBlank() ? null : bootstrap.strip();
            if (topics == null) topics = new Topics(null, null, null, null, null);
            if (bootstrap != null) {
                try {
                    settings(bootstrap, topics, deliveryTimeoutSeconds, outboxLeaseSeconds);
                } catch (IllegalArgumentException e) {
                    throw new InvalidSetting(e.getMessage().contains("outboxLease") ? "outboxLeaseSeconds" : "deliveryTimeoutSeconds", e.getMessage());
                }
            }
        }

        private static KafkaEventBus.Settings settings(String bootstrap, Topics topics, Duration delivery, Duration lease) {
            return new KafkaEventBus.Settings(bootstrap, topics.eventTopics(), delivery, lease);
        }

        /** The Kafka event log, or null for the in-process bus. */
        KafkaEventBus.Settings settings() {
            return bootstrap == null ? null : settings(bootstrap, topics, deliveryTimeoutSeconds, outboxLeaseSeconds);
        }
    }

    /** Topic names; the defaults are those of the system Stratus descends from. */
    public record Topics(@Default("storage_queue") String stored, @Default("dicom_state_queue") String seriesState,
                         @Default("dicom_image_queue") String images, @Default("log_queue") String log,
                         @Default("webapi_access_queue") String webAccess) {
        public Topics {
            EventTopics d = EventTopics.DEFAULTS;
            stored = stored == null ? d.stored() : stored;
            seriesState = seriesState == null ? d.seriesState() : seriesState;
            images = images == null ? d.images() : images;
            log = log == null ? d.log() : log;
            webAccess = webAccess == null ? d.webAccess() : webAccess;
            try {
                eventTopics(stored, seriesState, images, log, webAccess);
            } catch (IllegalArgumentException e) {
                throw new InvalidSetting("topics", e.getMessage());
            }
        }

        private static EventTopics eventTopics(String stored, String seriesState, String images, String log, String webAccess) {
            return new EventTopics(stored, seriesState, images, log, webAccess);
        }

        EventTopics eventTopics() {
            return eventTopics(stored, seriesState, images, log, webAccess);
        }
    }

    /** Per-tenant presentation options; tenants not named get those of {@code "*"}, else {@link #DEFAULT}. */
    public record Tenant(@Default("false") boolean numbersAsStrings, @Default("false") boolean emptyQidoAs204) {
        public static final Tenant DEFAULT = new Tenant(false, false);
    }

    public Tenant tenant(String name) {
        return tenants.getOrDefault(name, tenants.getOrDefault("*", Tenant.DEFAULT));
    }

    /** The DICOM TLS port's settings, or null without one. */
    public dev.stratus.dimse.tls.DimseTls dimseTls() {
        return dimse.tls().settings(dimse.host(), http.tls());
    }

    /** Whether this node has {@code role} (roles: all three unless set). */
    public boolean runs(Role role) {
        return roles.contains(role.key());
    }

    /** {@code file:DIR} or {@code s3://BUCKET[/PREFIX]}. */
    public String storageUrl() {
        if (storage.url() != null) return storage.url();
        return BlobStoreFactory.fileUrl(storage.path() != null ? storage.path() : dataDir.resolve("blobs"));
    }

    /** What the archive is opened with (Archive.open): index, storage, ingest budget and limits, metadata worker. */
    public Archive.Settings archive() {
        return Archive.Settings.in(dataDir)
                .withIndex(index.url(), index.user(), index.password(), index.migrate())
                .withStorage(storageUrl(), storage.s3().options(), storage.directWrites())
                .withParseBudget(ingest.budget())
                .withMetadataWorker(runs(Role.WORKER) && metadata.worker() ? metadata.workerSettings() : null)
                .withNumbersAsStrings(t -> tenant(t.name()).numbersAsStrings())
                .withLimits(new Archive.Settings.Limits(ingest.maxConcurrent(), ingest.queueSeconds(), storage.reserveBytes()))
                .withKafka(kafka.settings());
    }

    /** AE title lists, each title checked (PS3.5: 1 to 16 characters of the default repertoire, no backslash). */
    private static final class AeTitles {
        static final String WHAT = "an AE title (1 to 16 printable characters, no backslash)";

        static List<String> check(List<String> titles, String key) {
            for (String ae : titles) {
                if (!DimseSettings.isValidAeTitle(ae)) throw new InvalidSetting(key, "holds '" + ae + "', which is not " + WHAT);
            }
            return List.copyOf(titles);
        }
    }
}
