package dev.stratus.app;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static java.util.Map.entry;

/**
 * {@code stratus serve}'s options read without picocli when each is given plainly ({@code --name value} or
 * {@code --flag}): picocli's classes are Java 5 bytecode, which the AOT cache cannot hold, so reading and verifying
 * them was a fifth of the start's main thread (issue 20). Anything else (help, an unknown, repeated or malformed
 * option, a value picocli would refuse) is left to picocli, which explains it as always. ServeArgumentsTest checks
 * that these names are ServeCommand's and that both readings agree.
 */
final class ServeArguments {
    static final Map<String, BiConsumer<ServeCommand, String>> VALUED = Map.ofEntries(
            entry("--port", (c, v) -> c.port = Integer.valueOf(v)),
            entry("--host", (c, v) -> c.host = v),
            entry("--trusted-proxies", (c, v) -> c.trustedProxies = v),
            entry("--tls-cert", (c, v) -> c.tlsCert = Path.of(v)),
            entry("--tls-key", (c, v) -> c.tlsKey = Path.of(v)),
            entry("--auth-issuer", (c, v) -> c.authIssuer = v),
            entry("--auth-audience", (c, v) -> c.authAudience = v),
            entry("--auth-tenant-claim", (c, v) -> c.authTenantClaim = v),
            entry("--auth-browser-client-id", (c, v) -> c.authBrowserClientId = v),
            entry("--shutdown-timeout", (c, v) -> c.shutdownTimeout = v),
            entry("--data-dir", (c, v) -> c.dataDir = Path.of(v)),
            entry("--index-url", (c, v) -> c.indexUrl = v),
            entry("--storage-url", (c, v) -> c.storageUrl = v),
            entry("--s3-endpoint", (c, v) -> c.s3Endpoint = v),
            entry("--s3-region", (c, v) -> c.s3Region = v),
            entry("--kafka-bootstrap", (c, v) -> c.kafkaBootstrap = v),
            entry("--roles", (c, v) -> c.roles = v),
            entry("--dimse-port", (c, v) -> c.dimsePort = Integer.valueOf(v)),
            entry("--dimse-host", (c, v) -> c.dimseHost = v),
            entry("--dimse-tls-port", (c, v) -> c.dimseTlsPort = Integer.valueOf(v)),
            entry("--config", (c, v) -> c.configFile = Path.of(v)));

    static final Map<String, Consumer<ServeCommand>> FLAGS = Map.of(
            "--allow-anonymous", c -> c.allowAnonymous = true,
            "--s3-path-style", c -> c.s3PathStyle = true,
            "--no-dimse", c -> c.noDimse = true,
            "--no-migrate", c -> c.noMigrate = true);

    private ServeArguments() {}

    /** The command with its options set, or null when picocli is to read them. */
    static ServeCommand read(String[] args) {
        ServeCommand command = new ServeCommand();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!seen.add(name)) return null; // picocli refuses a repeated option
            Consumer<ServeCommand> flag = FLAGS.get(name);
            if (flag != null) {
                flag.accept(command);
                continue;
            }
            BiConsumer<ServeCommand, String> valued = VALUED.get(name);
            if (valued == null || i + 1 == args.length || args[i + 1].startsWith("-")) return null;
            try {
                valued.accept(command, args[++i]);
            } catch (RuntimeException malformed) {
                return null;
            }
        }
        return command;
    }
}
