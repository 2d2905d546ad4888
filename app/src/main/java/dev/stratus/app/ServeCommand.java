package dev.stratus.app;

import dev.stratus.app.config.ConfigException;
import dev.stratus.app.config.ConfigLoader;
import dev.stratus.app.config.StratusConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** stratus serve: the archive (DICOMweb) on the embedded default or the configured index and storage. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the archive: DICOMweb on --port, data under --data-dir (embedded SQLite index and local files unless configured otherwise).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "HTTP port (default 8080; env STRATUS_HTTP_PORT)")
    Integer port;

    @Option(names = "--host", description = "Address the HTTP server listens on (default 127.0.0.1, this machine only; 0.0.0.0, every interface, when --auth-issuer is set; env STRATUS_HTTP_HOST)")
    String host;

    @Option(names = "--allow-anonymous", description = "Listen on a --host other machines reach without authorization: for trusted networks only (env STRATUS_HTTP_ALLOW_ANONYMOUS)")
    boolean allowAnonymous;

    @Option(names = "--trusted-proxies", paramLabel = "CIDRS",
            description = "Comma-separated addresses or CIDR ranges whose Forwarded/X-Forwarded-* headers are believed (default none; env STRATUS_HTTP_TRUSTED_PROXIES)")
    String trustedProxies;

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "HTTPS: the certificate chain, PEM, reloaded when it changes; needs --tls-key (env STRATUS_HTTP_TLS_CERT)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "HTTPS: the certificate's private key, unencrypted PKCS#8 PEM (env STRATUS_HTTP_TLS_KEY)")
    Path tlsKey;

    @Option(names = "--auth-issuer", paramLabel = "URL",
            description = "OpenID provider whose bearer tokens every DICOMweb request needs (default none: authorization off; env STRATUS_AUTH_ISSUER)")
    String authIssuer;

    @Option(names = "--auth-audience", description = "The aud a token must carry, required with --auth-issuer (env STRATUS_AUTH_AUDIENCE)")
    String authAudience;

    @Option(names = "--auth-tenant-claim", paramLabel = "CLAIM",
            description = "The token claim listing the tenants it may use (default tenant; env STRATUS_AUTH_TENANT_CLAIM)")
    String authTenantClaim;

    @Option(names = "--auth-browser-client-id", paramLabel = "ID",
            description = "The public client the study browser and the viewer sign in as (code flow with PKCE); needs --auth-issuer (default none: they do not sign in; env STRATUS_AUTH_BROWSER_CLIENT_ID)")
    String authBrowserClientId;

    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS",
            description = "On stop (SIGTERM), how long HTTP requests in flight may take to finish (default 30; env STRATUS_SHUTDOWN_TIMEOUT_SECONDS)")
    String shutdownTimeout;

    @Option(names = "--data-dir", description = "Directory of the embedded index, the stored objects and the spool (default ./stratus-data; env STRATUS_DATA_DIR)")
    Path dataDir;

    @Option(names = "--index-url", description = "Index database: jdbc:postgresql://..., jdbc:mysql://..., jdbc:mariadb://... (default: embedded SQLite; env STRATUS_INDEX_URL)")
    String indexUrl;

    @Option(names = "--storage-url", description = "Where the stored objects are: file:DIR or s3://BUCKET[/PREFIX] (default file:DATA_DIR/blobs; env STRATUS_STORAGE_URL)")
    String storageUrl;

    @Option(names = "--s3-endpoint", description = "URL of an S3-compatible service for an s3:// storage URL (default AWS S3; env STRATUS_STORAGE_S3_ENDPOINT)")
    String s3Endpoint;

    @Option(names = "--s3-region", description = "Signing region of the S3 service (default: the AWS SDK's chain, us-east-1 with an endpoint; env STRATUS_STORAGE_S3_REGION)")
    String s3Region;

    @Option(names = "--s3-path-style", description = "Address buckets as endpoint/BUCKET/KEY, as MinIO and Ceph need (env STRATUS_STORAGE_S3_PATH_STYLE)")
    boolean s3PathStyle;

    @Option(names = "--kafka-bootstrap", description = "Kafka brokers (host:port,...) for the event log between nodes (default: events stay in this process; env STRATUS_KAFKA_BOOTSTRAP)")
    String kafkaBootstrap;

    @Option(names = "--roles", paramLabel = "ROLE[,ROLE...]",
            description = "What this node does, any of api (DICOMweb), worker (series metadata documents), dimse (DICOM listener) (default: all three; env STRATUS_ROLES)")
    String roles;

    @Option(names = "--dimse-port", description = "DICOM (C-ECHO, C-STORE, C-FIND, C-MOVE, C-GET) port (default 11112; env STRATUS_DIMSE_PORT)")
    Integer dimsePort;

    @Option(names = "--dimse-host", description = "Address the DICOM port listens on (default 127.0.0.1, this machine only: DICOM has no authentication; env STRATUS_DIMSE_HOST)")
    String dimseHost;

    @Option(names = "--dimse-tls-port", description = "DICOM over TLS port (default none; its certificate: dimse.tls.cert, else --tls-cert; env STRATUS_DIMSE_TLS_PORT)")
    Integer dimseTlsPort;

    @Option(names = "--no-dimse", description = "Do not listen for DICOM associations (env STRATUS_DIMSE_ENABLED=false)")
    boolean noDimse;

    @Option(names = "--no-migrate", description = "Do not create or upgrade the index schema on start (env STRATUS_INDEX_MIGRATE=false)")
    boolean noMigrate;

    @Option(names = "--config", description = "YAML configuration file (default ./stratus.yaml if present; env STRATUS_CONFIG)")
    Path configFile;

    /** The options given, as settings (key → value); the file and the environment give the rest. */
    Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        if (roles != null) s.put("roles", roles);
        if (port != null) s.put("http.port", port.toString());
        if (host != null) s.put("http.host", host);
        if (allowAnonymous) s.put("http.allowAnonymous", "true");
        if (trustedProxies != null) s.put("http.trustedProxies", trustedProxies);
        if (tlsCert != null) s.put("http.tls.cert", tlsCert.toString());
        if (tlsKey != null) s.put("http.tls.key", tlsKey.toString());
        if (authIssuer != null) s.put("auth.issuer", authIssuer);
        if (authAudience != null) s.put("auth.audience", authAudience);
        if (authTenantClaim != null) s.put("auth.tenantClaim", authTenantClaim);
        if (authBrowserClientId != null) s.put("auth.browserClientId", authBrowserClientId);
        if (shutdownTimeout != null) s.put("shutdownTimeoutSeconds", shutdownTimeout);
        if (dataDir != null) s.put("dataDir", dataDir.toString());
        if (indexUrl != null) s.put("index.url", indexUrl);
        if (noMigrate) s.put("index.migrate", "false");
        if (storageUrl != null) s.put("storage.url", storageUrl);
        if (s3Endpoint != null) s.put("storage.s3.endpoint", s3Endpoint);
        if (s3Region != null) s.put("storage.s3.region", s3Region);
        if (s3PathStyle) s.put("storage.s3.pathStyle", "true");
        if (kafkaBootstrap != null) s.put("kafka.bootstrap", kafkaBootstrap);
        if (dimsePort != null) s.put("dimse.port", dimsePort.toString());
        if (dimseHost != null) s.put("dimse.host", dimseHost);
        if (dimseTlsPort != null) s.put("dimse.tls.port", dimseTlsPort.toString());
        if (noDimse) s.put("dimse.enabled", "false");
        return s;
    }

    /** Whether anyone but this machine can reach the data, and on what terms, said at every start. */
    static String accessLine(StratusConfig config) {
        StratusConfig.Http http = config.http();
        String access = config.auth().issuer() != null
                ? "authorization on: DICOMweb requests need a bearer token of " + config.auth().issuer() + " for audience " + config.auth().audience()
                : StratusConfig.Http.isLoopback(http.host())
                ? "authorization off: listening on this machine only (" + http.host() + "); set --auth-issuer and --auth-audience to serve other machines"
                : "authorization off (--allow-anonymous): anyone who reaches " + http.host() + " port " + http.port() + " reads, writes and deletes every tenant's data";
        boolean dimseOpen = config.dimse().enabled() && config.dimse().port() >= 0 && !StratusConfig.Http.isLoopback(config.dimse().host());
        return access + (dimseOpen ? "; DICOM on " + config.dimse().host() + " has no authentication (calling AE title lists only)" : "")
                + "; audit " + (config.audit().sink().equalsIgnoreCase("off") ? "off" : "to " + config.audit().sink())
                + (config.kafka().bootstrap() != null ? " and Kafka topic " + config.kafka().topics().webAccess() : "");
    }

    /** {@link #call()} as picocli's execute runs it: an exception let through goes to the log, and the exit status is 1. */
    int run() {
        try {
            return call();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(ServeCommand.class).error("stratus serve stopped: {}", e.toString(), e);
            return 1;
        }
    }

    @Override
    public Integer call() throws Exception {
        StartupWarmup.begin(indexUrl == null && System.getenv("STRATUS_INDEX_URL") == null);
        StratusConfig config;
        try {
            config = ConfigLoader.load(ConfigLoader.configFile(configFile, System.getenv()), System.getenv(), settings());
        } catch (ConfigException e) {
            System.err.println("stratus serve: " + e.getMessage());
            return 2;
        }
        ArchiveNode node;
        int bound;
        try {
            node = new ArchiveNode(config);
            bound = node.start(); // closes what it began on failure
        } catch (RuntimeException | IOException e) {
            System.err.println("stratus serve: cannot start: " + e.getMessage());
            return 1;
        }
        String host = config.http().host();
        String shown = host.equals("0.0.0.0") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        String http = (config.http().tls().cert() != null ? "https" : "http") + "://" + shown + ":" + bound;
        System.err.println("stratus: roles " + String.join(", ", config.roles()) + "; "
                + (config.runs(StratusConfig.Role.API) ? "DICOMweb at " + http + "/dicomweb" : "health and metrics at " + http + "/health/ready")
                + (node.dimsePort() < 0 ? "" : ", DICOM " + config.dimse().aeTitle() + " on " + config.dimse().host() + " port " + node.dimsePort())
                + (node.dimseTlsPort() < 0 ? "" : ", DICOM TLS on " + config.dimseTls().bindAddress() + " port " + node.dimseTlsPort()
                        + " (client certificates " + config.dimseTls().clientAuth().name().toLowerCase(java.util.Locale.ROOT) + ")")
                + " (data in " + config.dataDir().toAbsolutePath().normalize() + ")");
        System.err.println("stratus: " + accessLine(config));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
