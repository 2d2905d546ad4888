package dev.stratus.app.config;

import dev.stratus.archive.Archive;
import dev.stratus.archive.metadata.MetadataWorker;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.storage.S3Options;
import dev.stratus.web.WebSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final Map<String, String> NONE = Map.of();

    private static StratusConfig load(Path yaml, Map<String, String> env) {
        return ConfigLoader.load(yaml, env, NONE, w -> { throw new AssertionError("unexpected warning: " + w); });
    }

    private static ConfigException refused(Path yaml, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml, env, NONE, w -> {}));
    }

    @Test
    void defaultsThenYamlThenEnvironmentThenCommandLine(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("s.yaml"), """
                http:
                  port: 9000
                dataDir: /srv/a
                tenants:
                  legacy:
                    numbersAsStrings: true
                """);
        StratusConfig fromYaml = load(yaml, NONE);
        assertEquals(9000, fromYaml.http().port());
        assertEquals(Path.of("/srv/a"), fromYaml.dataDir());
        assertTrue(fromYaml.tenant("legacy").numbersAsStrings());
        assertFalse(fromYaml.tenant("legacy").emptyQidoAs204(), "a tenant's settings not given have their defaults");
        assertEquals(StratusConfig.Tenant.DEFAULT, fromYaml.tenant("other"));
        assertEquals(9100, load(yaml, Map.of("STRATUS_HTTP_PORT", "9100")).http().port());
        StratusConfig fromCli = ConfigLoader.load(yaml, Map.of("STRATUS_HTTP_PORT", "9100"), Map.of("http.port", "9200", "dataDir", dir.toString()));
        assertEquals(9200, fromCli.http().port());
        assertEquals(dir, fromCli.dataDir());
        assertEquals("file:" + dir.resolve("blobs").toAbsolutePath(), fromCli.storageUrl());
        assertEquals(8080, load(null, NONE).http().port());
    }

    /** Sample values of the settings that take a format rather than any text. */
    private static final Map<String, String> FORMATTED = Map.of("storage.url", "s3://bucket7/prefix", "storage.s3.endpoint", "http://s3.example:7",
            "roles", "worker", "auth.issuer", "https://idp.example/realms/a", "auth.algorithms", "ES384", "audit.sink", "file:/var/log/stratus/access.jsonl",
            "dimse.tls.clientAuth", "optional");

    /** The settings some values need beside them. */
    private static final Map<String, Map<String, String>> COMPANIONS = Map.of(
            "auth.issuer", Map.of("STRATUS_AUTH_AUDIENCE", "stratus"),
            "auth.browserClientId", Map.of("STRATUS_AUTH_ISSUER", "https://idp.example/realms/a", "STRATUS_AUTH_AUDIENCE", "stratus"),
            "http.host", Map.of("STRATUS_HTTP_ALLOW_ANONYMOUS", "true"),
            "http.tls.cert", Map.of("STRATUS_HTTP_TLS_KEY", "key.pem"),
            "http.tls.key", Map.of("STRATUS_HTTP_TLS_CERT", "cert.pem"),
            "dimse.tls.port", Map.of("STRATUS_DIMSE_TLS_CERT", "cert.pem", "STRATUS_DIMSE_TLS_KEY", "key.pem"),
            "dimse.tls.cert", Map.of("STRATUS_DIMSE_TLS_KEY", "key.pem"),
            "dimse.tls.key", Map.of("STRATUS_DIMSE_TLS_CERT", "cert.pem"),
            "dimse.tls.clientAuth", Map.of("STRATUS_DIMSE_TLS_CLIENT_CA", "ca.pem"));

    @Test
    void aStorageUrlChoosesTheObjectStoreAndItsS3Options(@TempDir Path dir) throws Exception {
        StratusConfig s3 = ConfigLoader.load(null, Map.of("STRATUS_STORAGE_S3_ENDPOINT", "http://127.0.0.1:9000"),
                Map.of("storage.url", "s3://scans/site-a", "storage.s3.pathStyle", "true", "dataDir", dir.toString()));
        Archive.Settings settings = s3.archive();
        assertEquals("s3://scans/site-a", settings.storageUrl());
        assertEquals(new S3Options(URI.create("http://127.0.0.1:9000"), null, true), settings.s3());
        assertNull(settings.storagePath(), "no local blob directory");
        assertEquals("file:" + dir.resolve("blobs").toAbsolutePath(), ConfigLoader.load(null, NONE, Map.of("dataDir", dir.toString())).archive().storageUrl());

        ConfigException both = assertThrows(ConfigException.class, () -> load(null, Map.of("STRATUS_STORAGE_URL", "s3://b", "STRATUS_STORAGE_PATH", "/srv/blobs")));
        assertTrue(both.getMessage().contains("storage.url"), both.getMessage());
        ConfigException scheme = assertThrows(ConfigException.class, () -> load(null, Map.of("STRATUS_STORAGE_URL", "gs://b")));
        assertTrue(scheme.getMessage().contains("storage.url") && scheme.getMessage().contains("gs://b"), scheme.getMessage());
        ConfigException endpoint = assertThrows(ConfigException.class, () -> load(null, Map.of("STRATUS_STORAGE_S3_ENDPOINT", "ftp://h")));
        assertTrue(endpoint.getMessage().contains("storage.s3.endpoint"), endpoint.getMessage());
    }

    @Test
    void aKafkaBootstrapTurnsOnTheEventLogWithItsTopicsAndBadTopicsAreNamed() throws Exception {
        assertNull(load(null, NONE).archive().kafka(), "no brokers: the in-process bus");
        StratusConfig kafka = ConfigLoader.load(null, Map.of("STRATUS_KAFKA_TOPICS_STORED", "site-a.stored"), Map.of("kafka.bootstrap", "k1:9092,k2:9092"));
        var settings = kafka.archive().kafka();
        assertEquals("k1:9092,k2:9092", settings.bootstrapServers());
        assertEquals("site-a.stored", settings.topics().stored());
        assertEquals("dicom_state_queue", settings.topics().seriesState(), "the others keep the names of the system Stratus descends from");
        assertEquals(Duration.ofSeconds(30), settings.deliveryTimeout());

        ConfigException topic = assertThrows(ConfigException.class, () -> load(null, Map.of("STRATUS_KAFKA_TOPICS_LOG", "no spaces")));
        assertTrue(topic.getMessage().contains("kafka.topics"), topic.getMessage());
        ConfigException lease = assertThrows(ConfigException.class, () -> load(null,
                Map.of("STRATUS_KAFKA_BOOTSTRAP", "k:9092", "STRATUS_KAFKA_OUTBOX_LEASE_SECONDS", "10")));
        assertTrue(lease.getMessage().contains("kafka.outboxLeaseSeconds"), lease.getMessage());
    }

    @Test
    void everyKeyIsSetByTheEnvironmentVariableItsNameGives() throws Exception {
        for (Setting s : ConfigLoader.SETTINGS) {
            if (!s.environmentKey().equals(s.key())) continue; // under a map: below
            Class<?> type = s.component().getType();
            String text = type == boolean.class ? String.valueOf(!Boolean.parseBoolean(s.defaultValue().orElseThrow()))
                    : FORMATTED.getOrDefault(s.key(), "7");
            Object expected = type == int.class || type == Integer.class ? 7 : type == long.class ? 7L : type == boolean.class ? Boolean.parseBoolean(text)
                    : type == Duration.class ? Duration.ofSeconds(7) : type == Path.class ? Path.of("7") : type == List.class ? List.of(text) : text;
            Map<String, String> env = new java.util.HashMap<>(COMPANIONS.getOrDefault(s.key(), NONE));
            env.put(s.environment(), text);
            StratusConfig config = load(null, env);
            assertEquals(expected, valueAt(config, s.key()), s.key() + " from " + s.environment());
        }
        assertEquals("STRATUS_METADATA_QUIET_SECONDS", Setting.environmentName("metadata.quietSeconds"));
        assertEquals("STRATUS_DIMSE_MAX_ASSOCIATIONS_PER_PEER", Setting.environmentName("dimse.maxAssociationsPerPeer"));
    }

    @Test
    void aMapIsSetWholeByOneVariableAsYamlAndAListByCommas() {
        StratusConfig config = load(null, Map.of(
                "STRATUS_TENANTS", "{legacy: {numbersAsStrings: true}, '*': {emptyQidoAs204: yes}}",
                "STRATUS_DIMSE_TENANTS", "{hospital-a: {calledAeTitles: [HOSP_A], allowedCallingAeTitles: [CT01]}}",
                "STRATUS_CORS_ORIGINS", "https://a.example, https://b.example"));
        assertTrue(config.tenant("legacy").numbersAsStrings());
        assertTrue(config.tenant("any-other").emptyQidoAs204());
        assertEquals(Map.of("HOSP_A", "hospital-a"), config.dimse().tenantByCalledAeTitle());
        assertEquals(List.of("https://a.example", "https://b.example"), config.cors().origins());
        ConfigException e = refused(null, Map.of("STRATUS_TENANTS", "legacy"));
        assertTrue(e.getMessage().contains("tenants must be a YAML mapping") && e.getMessage().contains("STRATUS_TENANTS"), e.getMessage());
        ConfigException unknown = refused(null, Map.of("STRATUS_TENANTS", "{legacy: {numbersAsString: true}}"));
        assertEquals("unknown setting tenants.legacy.numbersAsString (from STRATUS_TENANTS); the nearest is tenants.legacy.numbersAsStrings",
                unknown.getMessage());
    }

    @Test
    void aMisspeltKeyIsNamedWithTheNearestValidKey(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("s.yaml"), "metadata:\n  quietSecond: 30\n");
        assertEquals("unknown setting metadata.quietSecond (in " + yaml + "); the nearest is metadata.quietSeconds", refused(yaml, NONE).getMessage());
        Path top = Files.writeString(dir.resolve("top.yaml"), "htpp:\n  port: 1\n");
        assertTrue(refused(top, NONE).getMessage().startsWith("unknown setting htpp (in " + top + "); the nearest is http"));
        Path tenant = Files.writeString(dir.resolve("tenant.yaml"), "dimse:\n  tenants:\n    a:\n      calledAE: [X]\n");
        assertTrue(refused(tenant, NONE).getMessage().startsWith("unknown setting dimse.tenants.a.calledAE (in "
                + tenant + "); the nearest is dimse.tenants.a.calledAeTitles"), refused(tenant, NONE).getMessage());
    }

    @Test
    void malformedAndOutOfRangeValuesAreNamedWithTheirSource(@TempDir Path dir) throws Exception {
        assertEquals("http.port must be a whole number, was 'eighty' (from STRATUS_HTTP_PORT)",
                refused(null, Map.of("STRATUS_HTTP_PORT", "eighty")).getMessage());
        Path yaml = Files.writeString(dir.resolve("s.yaml"), "ingest:\n  maxConcurrent: 0\n");
        assertEquals("ingest.maxConcurrent must be ≥ 1, was 0 (in " + yaml + ")", refused(yaml, NONE).getMessage());
        assertEquals("ingest.maxConcurrent must be ≥ 1, was 0 (from STRATUS_INGEST_MAX_CONCURRENT)",
                refused(null, Map.of("STRATUS_INGEST_MAX_CONCURRENT", "0")).getMessage());
        assertEquals("http.port must be 0 to 65535, was 70000 (from the command line)",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(null, NONE, Map.of("http.port", "70000"))).getMessage());
        String[][] bad = {
                {"storage:\n  directWrites: sometimes\n", "storage.directWrites must be true or false, was 'sometimes'"},
                {"metadata:\n  pollSeconds: 0\n", "metadata.pollSeconds must be more than 0 seconds"},
                {"metadata:\n  quietSeconds: -1\n", "metadata.quietSeconds must be a number of seconds, 0 or more, was '-1'"},
                {"metadata: 5\n", "metadata must be a mapping of settings"},
                {"cors:\n  origins: {a: 1}\n", "cors.origins must be a list"},
                {"stow:\n  maxParts: 0\n", "stow.maxParts must be ≥ 1, was 0"},
                {"storage:\n  reserveBytes: -1\n", "storage.reserveBytes must be ≥ 0, was -1"},
                {"http:\n  host: ' '\n", "http.host must name an address"},
                {"tenants:\n  ../etc:\n    numbersAsStrings: true\n", "tenants.../etc is not a tenant name"},
                {"http:\n  port: 1\n  port: 2\n", "port"},
                {"[1, 2]\n", "must hold a YAML mapping"},
        };
        for (String[] b : bad) {
            Path file = Files.writeString(dir.resolve("bad.yaml"), b[0]);
            ConfigException e = refused(file, NONE);
            assertTrue(e.getMessage().contains(b[1]), b[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void aConfigurationFileNamedButAbsentIsAnError(@TempDir Path dir) {
        ConfigException e = refused(dir.resolve("absent.yaml"), NONE);
        assertTrue(e.getMessage().contains("absent.yaml does not exist"), e.getMessage());
        assertEquals(dir.resolve("absent.yaml"), ConfigLoader.configFile(null, Map.of("STRATUS_CONFIG", dir.resolve("absent.yaml").toString())));
        assertEquals(Path.of("given.yaml"), ConfigLoader.configFile(Path.of("given.yaml"), Map.of("STRATUS_CONFIG", "other.yaml")));
    }

    @Test
    void anUnknownStratusVariableIsWarnedAboutWithTheNearestAndTheOldHostNameStillWorks() {
        List<String> warnings = new ArrayList<>();
        Map<String, String> env = Map.of("STRATUS_INGEST_MAX_CONCURENT", "3", "STRATUS_HOST", "127.0.0.2", "STRATUS_JAVA_OPTS", "-Xmx1g",
                "STRATUS_CONFIG", "x.yaml", "PATH", "/usr/bin");
        StratusConfig config = ConfigLoader.load(null, env, NONE, warnings::add);
        assertEquals(List.of("STRATUS_INGEST_MAX_CONCURENT is not a setting and is ignored; the nearest is STRATUS_INGEST_MAX_CONCURRENT"), warnings);
        assertEquals(64, config.ingest().maxConcurrent());
        assertEquals("127.0.0.2", config.http().host());
        assertEquals("::1", load(null, Map.of("STRATUS_HOST", "127.0.0.2", "STRATUS_HTTP_HOST", "::1")).http().host(), "the rule's name wins");
    }

    @Test
    void theMetadataWorkersLeaseAndRetryBaseAreSettings(@TempDir Path dir) throws Exception {
        MetadataWorker.Settings defaults = load(null, NONE).archive().metadataWorker();
        assertEquals(Duration.ofMinutes(5), defaults.lease());
        assertEquals(Duration.ofSeconds(10), defaults.retries().firstPause());
        Path yaml = Files.writeString(dir.resolve("s.yaml"), "metadata:\n  leaseSeconds: 60\n  retryBaseSeconds: 0.5\n");
        MetadataWorker.Settings set = load(yaml, NONE).archive().metadataWorker();
        assertEquals(Duration.ofMinutes(1), set.lease());
        assertEquals(Duration.ofMillis(500), set.retries().firstPause());
        assertEquals(5, set.retries().attempts(), "metadata.maxRetries: tries in all");
        assertEquals(1, load(null, Map.of("STRATUS_METADATA_MAX_RETRIES", "0")).archive().metadataWorker().retries().attempts(),
                "0 retries: FAILED at the first failure, as 1");
        assertEquals(null, load(null, Map.of("STRATUS_METADATA_WORKER", "off")).archive().metadataWorker());
    }

    @Test
    void dimseTenantMapsAreReadAndCheckedWithTheirPlaceNamed(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), """
                dimse:
                  tenants:
                    hospital-a:
                      calledAeTitles: [HOSP_A, HOSP_A2]
                      allowedCallingAeTitles: [CT01, MR02]
                    hospital-b:
                      calledAeTitles: [HOSP_B]
                """);
        StratusConfig config = load(good, NONE);
        assertEquals(Map.of("HOSP_A", "hospital-a", "HOSP_A2", "hospital-a", "HOSP_B", "hospital-b"), config.dimse().tenantByCalledAeTitle());
        assertEquals(Map.of("hospital-a", List.of("CT01", "MR02")), config.dimse().allowedCallingAeTitles());
        assertEquals(Map.of(), load(null, NONE).dimse().tenantByCalledAeTitle());

        String[][] bad = {
                {"dimse:\n  tenants:\n    a:\n      calledAeTitles: [THIS_AE_TITLE_IS_TOO_LONG]\n", "dimse.tenants.a.calledAeTitles holds 'THIS_AE_TITLE_IS_TOO_LONG'"},
                {"dimse:\n  tenants:\n    a:\n      calledAeTitles: [X]\n    b:\n      calledAeTitles: [X]\n", "two tenants: a and b"},
                {"dimse:\n  tenants:\n    ../etc:\n      calledAeTitles: [X]\n", "dimse.tenants.../etc is not a tenant name"},
                {"dimse:\n  tenants:\n    a:\n      allowedCallingAeTitles: CT01\n", "dimse.tenants.a.allowedCallingAeTitles must be a list"},
                {"dimse:\n  aeTitle: 'A\\B'\n", "dimse.aeTitle must be an AE title"},
        };
        for (String[] b : bad) {
            Path yaml = Files.writeString(dir.resolve("bad.yaml"), b[0]);
            ConfigException e = refused(yaml, NONE);
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
        }
    }

    @Test
    void dimseHostLimitsAndDeadlinesHaveDefaultsAndTheUsualPrecedence(@TempDir Path dir) throws Exception {
        StratusConfig.Dimse defaults = load(null, NONE).dimse();
        assertEquals("127.0.0.1", defaults.host(), "DICOM has no authentication: this machine only unless named");
        assertEquals(List.of(500, 50, 64), List.of(defaults.maxAssociations(), defaults.maxAssociationsPerPeer(), defaults.maxPendingAssociations()));
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofMinutes(5)), List.of(defaults.artimSeconds(), defaults.idleSeconds()));
        Path yaml = Files.writeString(dir.resolve("s.yaml"), """
                dimse:
                  host: 0.0.0.0
                  maxAssociations: 200
                  maxAssociationsPerPeer: 5
                  maxPendingAssociations: 16
                  artimSeconds: 3
                  idleSeconds: 60
                """);
        StratusConfig.Dimse fromYaml = load(yaml, NONE).dimse();
        assertEquals("0.0.0.0", fromYaml.host());
        assertEquals(List.of(200, 5, 16), List.of(fromYaml.maxAssociations(), fromYaml.maxAssociationsPerPeer(), fromYaml.maxPendingAssociations()));
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofMinutes(1)), List.of(fromYaml.artimSeconds(), fromYaml.idleSeconds()));
        Map<String, String> env = Map.of("STRATUS_DIMSE_HOST", "::1", "STRATUS_DIMSE_MAX_ASSOCIATIONS_PER_PEER", "7", "STRATUS_DIMSE_IDLE_SECONDS", "0.5");
        StratusConfig.Dimse fromEnv = load(yaml, env).dimse();
        assertEquals("::1", fromEnv.host());
        assertEquals(7, fromEnv.maxAssociationsPerPeer());
        assertEquals(Duration.ofMillis(500), fromEnv.idleSeconds());
        assertEquals("127.0.0.2", ConfigLoader.load(yaml, env, Map.of("dimse.host", "127.0.0.2")).dimse().host());
        assertFalse(ConfigLoader.load(yaml, env, Map.of("dimse.enabled", "false")).dimse().enabled());
    }

    @Test
    void malformedDimseSettingsAreNamed(@TempDir Path dir) throws Exception {
        String[][] bad = {
                {"dimse:\n  maxAssociationsPerPeer: 0\n", "dimse.maxAssociationsPerPeer must be ≥ 1, was 0"},
                {"dimse:\n  maxPendingAssociations: many\n", "dimse.maxPendingAssociations must be a whole number, was 'many'"},
                {"dimse:\n  artimSeconds: 0\n", "dimse.artimSeconds must be more than 0 seconds"},
                {"dimse:\n  idleSeconds: -1\n", "dimse.idleSeconds must be a number of seconds"},
                {"dimse:\n  host: ' '\n", "dimse.host"},
                {"dimse:\n  hots: 127.0.0.1\n", "unknown setting dimse.hots"},
        };
        for (String[] b : bad) {
            Path yaml = Files.writeString(dir.resolve("bad.yaml"), b[0]);
            ConfigException e = refused(yaml, NONE);
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
        }
    }

    @Test
    void moveDestinationsAreCommonOrPerTenantAndCheckedWithTheirPlaceNamed(@TempDir Path dir) throws Exception {
        StratusConfig.Dimse defaults = load(null, NONE).dimse();
        assertEquals(Map.of(), defaults.destinations());
        assertEquals(DimseSettings.DEFAULT_MAX_CONCURRENT_MOVES, defaults.maxConcurrentMoves());
        assertFalse(defaults.storageCommitment().reportOnNewAssociation());
        Path yaml = Files.writeString(dir.resolve("s.yaml"), """
                dimse:
                  maxConcurrentMoves: 3
                  storageCommitment:
                    reportOnNewAssociation: true
                  destinations:
                    VIEWER1: {host: ' viewer1.example.org ', port: 11112}
                    PACS: {host: 10.0.0.1, port: 104}
                  tenants:
                    hospital-a:
                      calledAeTitles: [HOSP_A]
                      destinations:
                        PACS: {host: 10.1.2.3, port: 4242}
                """);
        StratusConfig.Dimse d = load(yaml, NONE).dimse();
        assertEquals(3, d.maxConcurrentMoves());
        assertTrue(d.storageCommitment().reportOnNewAssociation());
        assertEquals(Map.of("VIEWER1", new StratusConfig.DimseDestination("viewer1.example.org", 11112),
                "PACS", new StratusConfig.DimseDestination("10.0.0.1", 104)), d.destinations());
        assertEquals(Map.of("PACS", new StratusConfig.DimseDestination("10.1.2.3", 4242)), d.tenants().get("hospital-a").destinations());
        StratusConfig.Dimse fromEnv = load(yaml, Map.of("STRATUS_DIMSE_DESTINATIONS", "{ROUTER: {host: router.local, port: 11113}}",
                "STRATUS_DIMSE_MAX_CONCURRENT_MOVES", "1")).dimse();
        assertEquals(Map.of("ROUTER", new StratusConfig.DimseDestination("router.local", 11113)), fromEnv.destinations(),
                "the variable sets the whole map");
        assertEquals(1, fromEnv.maxConcurrentMoves());

        String[][] bad = {
                {"dimse:\n  destinations:\n    PACS: {host: h, port: 0}\n", "dimse.destinations.PACS.port must be 1 to 65535, was 0"},
                {"dimse:\n  destinations:\n    PACS: {host: h, port: 70000}\n", "dimse.destinations.PACS.port must be 1 to 65535, was 70000"},
                {"dimse:\n  destinations:\n    PACS: {host: h}\n", "dimse.destinations.PACS.port must be given"},
                {"dimse:\n  destinations:\n    PACS: {host: ' ', port: 104}\n", "dimse.destinations.PACS.host must name the destination's address"},
                {"dimse:\n  destinations:\n    PACS:\n", "dimse.destinations.PACS.host"},
                {"dimse:\n  destinations:\n    THIS_AE_TITLE_IS_TOO_LONG: {host: h, port: 104}\n",
                        "dimse.destinations.THIS_AE_TITLE_IS_TOO_LONG is not an AE title"},
                {"dimse:\n  tenants:\n    a:\n      destinations:\n        'A\\B': {host: h, port: 104}\n", "dimse.tenants.a.destinations.A\\B is not an AE title"},
                {"dimse:\n  tenants:\n    a:\n      destinations:\n        PACS: {host: h, port: 104, ae: X}\n", "unknown setting dimse.tenants.a.destinations.PACS.ae"},
                {"dimse:\n  maxConcurrentMoves: 0\n", "dimse.maxConcurrentMoves must be 1 to 1000, was 0"},
                {"dimse:\n  storageCommitment:\n    reportOnNewAssociation: sometimes\n", "dimse.storageCommitment.reportOnNewAssociation must be true or false"},
        };
        for (String[] b : bad) {
            Path file = Files.writeString(dir.resolve("bad.yaml"), b[0]);
            ConfigException e = refused(file, NONE);
            assertTrue(e.getMessage().contains(b[1]), b[0] + " → " + e.getMessage());
        }
    }

    @Test
    void hostShutdownTimeoutAndStowPartLimitComeFromYamlEnvironmentOrCommandLine(@TempDir Path dir) throws Exception {
        StratusConfig defaults = load(null, NONE);
        assertEquals("127.0.0.1", defaults.http().host(), "without authorization, this machine only");
        assertEquals(Duration.ofSeconds(30), defaults.shutdownTimeoutSeconds());
        assertEquals(10_000, defaults.stow().maxParts());
        Path yaml = Files.writeString(dir.resolve("s.yaml"), """
                http:
                  host: 127.0.0.1
                shutdownTimeoutSeconds: 5
                stow:
                  maxParts: 500
                """);
        StratusConfig fromYaml = load(yaml, NONE);
        assertEquals("127.0.0.1", fromYaml.http().host());
        assertEquals(Duration.ofSeconds(5), fromYaml.shutdownTimeoutSeconds());
        assertEquals(500, fromYaml.stow().maxParts());
        StratusConfig fromEnv = load(yaml, Map.of("STRATUS_HTTP_HOST", "::1", "STRATUS_SHUTDOWN_TIMEOUT_SECONDS", "7.5", "STRATUS_STOW_MAX_PARTS", "20"));
        assertEquals("::1", fromEnv.http().host());
        assertEquals(Duration.ofMillis(7_500), fromEnv.shutdownTimeoutSeconds());
        assertEquals(20, fromEnv.stow().maxParts());
        StratusConfig fromCli = ConfigLoader.load(yaml, Map.of("STRATUS_HTTP_HOST", "::1"), Map.of("http.host", "192.0.2.1", "http.allowAnonymous", "true", "shutdownTimeoutSeconds", "0"));
        assertEquals("192.0.2.1", fromCli.http().host());
        assertEquals(Duration.ZERO, fromCli.shutdownTimeoutSeconds());
    }

    /** The value of a key, read through the records' accessors. */
    static Object valueAt(Object config, String key) throws ReflectiveOperationException {
        Object value = config;
        for (String name : key.split("\\.")) value = value.getClass().getMethod(name).invoke(value);
        return value;
    }

    @Test
    void theDefaultsAreTheServersOwn() {
        StratusConfig config = load(null, NONE);
        assertEquals(WebSettings.DEFAULT_STOW_MAX_PARTS, config.stow().maxParts());
        assertEquals(WebSettings.DEFAULT_SHUTDOWN_TIMEOUT, config.shutdownTimeoutSeconds());
        StratusConfig.Dimse d = config.dimse();
        assertEquals(List.of(DimseSettings.DEFAULT_PORT, DimseSettings.DEFAULT_MAX_ASSOCIATIONS, DimseSettings.DEFAULT_MAX_ASSOCIATIONS_PER_PEER,
                DimseSettings.DEFAULT_MAX_PENDING_ASSOCIATIONS), List.of(d.port(), d.maxAssociations(), d.maxAssociationsPerPeer(), d.maxPendingAssociations()));
        assertEquals(List.of(DimseSettings.DEFAULT_ARTIM_TIMEOUT, DimseSettings.DEFAULT_IDLE_TIMEOUT), List.of(d.artimSeconds(), d.idleSeconds()));
        assertEquals(DimseSettings.DEFAULT_AE_TITLE, d.aeTitle());
        assertEquals(Path.of("./stratus-data"), config.dataDir());
    }
}
