package dev.stratus.app.config;

import dev.stratus.archive.Archive;
import dev.stratus.archive.metadata.MetadataWorker;
import dev.stratus.codec.ParseBudget;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the archive, resolved from (lowest to highest precedence) defaults, the YAML file,
 * STRATUS_* environment variables and command-line options. docs/configuration.md lists them all.
 */
public record StratusConfig(
        int httpPort,
        Path dataDir,
        String indexUrl,
        String indexUser,
        String indexPassword,
        boolean migrateOnStart,
        Path storagePath,
        boolean storageDirectWrites,
        Duration metadataQuietPeriod,
        Duration metadataBusyQuietPeriod,
        Duration metadataPollInterval,
        int metadataMaxRetries,
        boolean metadataWorkerEnabled,
        List<String> corsOrigins,
        int dimsePort,
        String dimseHost,
        DimseLimits dimseLimits,
        String dimseAeTitle,
        DimseTenants dimseTenants,
        Map<String, TenantSettings> tenants,
        ParseBudget ingestBudget,
        String httpHost,
        Duration shutdownTimeout,
        int stowMaxParts,
        int ingestMaxConcurrent,
        Duration ingestQueue,
        long storageReserveBytes) {

    /**
     * Which tenant a DICOM association stores into and queries: by the AE title it calls (else the default
     * tenant); and, per tenant, the calling AE titles allowed (a tenant not listed allows every caller).
     */
    public record DimseTenants(Map<String, String> tenantByCalledAeTitle, Map<String, List<String>> allowedCallingAeTitles) {
        public static final DimseTenants NONE = new DimseTenants(Map.of(), Map.of());
    }

    /**
     * What the DICOM listener lets each connection hold: connections in all, from one remote address and not yet
     * established, the set-up deadline (ARTIM, accept to A-ASSOCIATE-AC) and the deadline for each PDU once established.
     */
    public record DimseLimits(int maxAssociations, int maxAssociationsPerPeer, int maxPendingAssociations, Duration artim, Duration idle) {}

    /** Per-tenant presentation options; unknown tenants get {@link TenantSettings#DEFAULT}. */
    public record TenantSettings(boolean numbersAsStrings, boolean emptyQidoAs204) {
        public static final TenantSettings DEFAULT = new TenantSettings(false, false);
    }

    public TenantSettings tenant(String name) {
        return tenants.getOrDefault(name, tenants.getOrDefault("*", TenantSettings.DEFAULT));
    }

    /** What the archive is opened with (Archive.open): index, storage, ingest budget, metadata worker. */
    public Archive.Settings archive() {
        MetadataWorker.Settings worker = !metadataWorkerEnabled ? null : new MetadataWorker.Settings(metadataQuietPeriod,
                metadataBusyQuietPeriod, metadataPollInterval, metadataMaxRetries, Duration.ofMinutes(5), Duration.ofSeconds(10));
        return Archive.Settings.in(dataDir)
                .withIndex(indexUrl, indexUser, indexPassword, migrateOnStart)
                .withStorage(storagePath, storageDirectWrites)
                .withParseBudget(ingestBudget)
                .withMetadataWorker(worker)
                .withNumbersAsStrings(t -> tenant(t.name()).numbersAsStrings())
                .withLimits(new Archive.Settings.Limits(ingestMaxConcurrent, ingestQueue, storageReserveBytes));
    }
}
