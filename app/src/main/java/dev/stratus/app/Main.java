package dev.stratus.app;

import dev.stratus.app.tools.CheckCommand;
import dev.stratus.app.tools.ExportCommand;
import dev.stratus.app.tools.ImportCommand;
import dev.stratus.app.tools.MoveIndexCommand;
import dev.stratus.app.tools.ReindexCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The stratus command line: one executable for the archive and its tools. */
@Command(name = "stratus", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = "Stratus, a DICOMweb archive.",
        subcommands = {ServeCommand.class, MigrateCommand.class, CompactCommand.class, DumpCommand.class, JsonCommand.class,
                ImportCommand.class, CheckCommand.class, ExportCommand.class,
                ReindexCommand.class, MoveIndexCommand.class})
public final class Main implements Runnable {
    static final String VERSION = "stratus 0.1.0";

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        // `serve` parses with a root that knows only it: picocli reads every subcommand's annotations when the
        // command line is built, and the other nine were ~5% of a start's main thread before ready (issue 20)
        Object root = args.length > 0 && args[0].equals("serve") ? new ServeOnly() : new Main();
        System.exit(new CommandLine(root).execute(args));
    }

    /** The same root command with {@code serve} alone under it. */
    @Command(name = "stratus", mixinStandardHelpOptions = true, version = VERSION, description = "Stratus, a DICOMweb archive.",
            subcommands = ServeCommand.class)
    static final class ServeOnly implements Runnable {
        @Override
        public void run() {
            CommandLine.usage(this, System.out);
        }
    }
}
