package dev.stratus.app;

import java.util.List;

/**
 * Initialises, on background threads, the libraries {@code serve} needs before it is ready (Logback's configuration,
 * jOOQ's data types, Flyway's plugin registry, Jetty's MIME table: its locale list was 5% of the main thread), while the main thread reads the configuration and opens the index:
 * measured in a JFR profile of a start, these class initialisations were ~30% of the main thread's samples (issue 20).
 * Only classes are initialised and nothing is opened, so a failure here changes nothing: the main thread meets the
 * same error where it always did. The JVM's class-initialisation locks make the main thread wait for a class being
 * initialised here rather than do it twice.
 */
final class StartupWarmup {
    private StartupWarmup() {
    }

    /**
     * @param embeddedIndex whether the index is likely the embedded SQLite one (no index URL given on the command line
     *                      or in the environment): its native library is then loaded too (unpacked to a temporary
     *                      file, which also runs uname), while the configuration is read; this was the first
     *                      connection's wait, the longest of the archive's opening (issue 20). A configuration file
     *                      naming a server index only makes this load unneeded.
     */
    static void begin(boolean embeddedIndex) {
        if (embeddedIndex) start("sqlite", () -> {
            try {
                org.sqlite.SQLiteJDBCLoader.initialize();
            } catch (Exception ignored) {
                // the first connection loads it again and reports the failure
            }
        });
        start("logging", () -> org.slf4j.LoggerFactory.getILoggerFactory());
        start("index-libraries", () -> {
            load("org.jooq.impl.SQLDataType", "org.jooq.impl.DefaultDSLContext", "org.jooq.impl.DSL");
            org.flywaydb.core.Flyway.configure().load(); // load(): Flyway copies its plugins' settings through Jackson
        });
        start("http-libraries", () -> load("org.eclipse.jetty.http.MimeTypes"));
    }

    private static void start(String name, Runnable work) {
        Thread.ofPlatform().daemon().name("stratus-warmup-" + name).start(() -> {
            try {
                work.run();
            } catch (RuntimeException | LinkageError ignored) {
                // the main thread initialises it again and reports the error where it matters
            }
        });
    }

    private static void load(String... classes) {
        ClassLoader loader = StartupWarmup.class.getClassLoader();
        for (String name : List.of(classes)) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException ignored) {
                // not on the class path: nothing to warm
            }
        }
    }
}
