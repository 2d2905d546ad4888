package dev.stratus.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** serve's plain options read without picocli mean what picocli reads in them; anything else is left to picocli. */
class ServeArgumentsTest {
    @Test
    void everyOptionOfServeCommandIsReadAndNoOther() {
        Set<String> declared = new HashSet<>();
        for (Field f : ServeCommand.class.getDeclaredFields()) {
            CommandLine.Option o = f.getAnnotation(CommandLine.Option.class);
            if (o != null) declared.addAll(List.of(o.names()));
        }
        Set<String> read = new HashSet<>(ServeArguments.VALUED.keySet());
        read.addAll(ServeArguments.FLAGS.keySet());
        assertEquals(declared, read);
    }

    @Test
    void bothReadingsGiveTheSameSettings() {
        String[] args = {"--port", "8081", "--host", "0.0.0.0", "--allow-anonymous", "--trusted-proxies", "10.0.0.0/8",
                "--tls-cert", "c.pem", "--tls-key", "k.pem", "--auth-issuer", "https://id", "--auth-audience", "stratus",
                "--auth-tenant-claim", "t", "--auth-browser-client-id", "web", "--shutdown-timeout", "5", "--data-dir", "d",
                "--index-url", "jdbc:postgresql://db/x", "--storage-url", "s3://b/p", "--s3-endpoint", "http://s3",
                "--s3-region", "eu", "--s3-path-style", "--kafka-bootstrap", "k:9092", "--roles", "api,dimse",
                "--dimse-port", "104", "--dimse-host", "0.0.0.0", "--dimse-tls-port", "2762", "--no-dimse", "--no-migrate",
                "--config", "s.yaml"};
        ServeCommand picocli = new ServeCommand();
        new CommandLine(picocli).parseArgs(args);
        ServeCommand plain = ServeArguments.read(args);
        assertNotNull(plain);
        assertEquals(picocli.settings(), plain.settings());
        assertEquals(picocli.configFile, plain.configFile);
        assertEquals(picocli.indexUrl, plain.indexUrl);
    }

    @Test
    void helpUnknownRepeatedMissingOrMalformedOptionsAreLeftToPicocli() {
        for (List<String> args : List.of(List.of("--help"), List.of("-V"), List.of("--port"), List.of("--port", "eighty"),
                List.of("--port", "1", "--port", "2"), List.of("--prot", "1"), List.of("--port=1"), List.of("--host", "--no-dimse"),
                List.of("extra"))) {
            assertNull(ServeArguments.read(args.toArray(String[]::new)), args.toString());
        }
    }
}
