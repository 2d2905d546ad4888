package dev.stratus.app;

import dev.stratus.app.tools.CheckCommand;
import dev.stratus.app.tools.ExportCommand;
import dev.stratus.app.tools.ImportCommand;
import dev.stratus.app.tools.MoveIndexCommand;
import dev.stratus.app.tools.ReindexCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Arrays;

/** The stratus command line: one executable for the archive and its tools. */
@Command(name = "stratus", mixinStandardHelpOptions = true, version = "stratus 0.1.0",
        description = "Stratus, a DICOMweb archive.",
        subcommands = {ServeCommand.class, MigrateCommand.class, CompactCommand.class, DumpCommand.class, JsonCommand.class,
                ImportCommand.class, CheckCommand.class, ExportCommand.class,
                ReindexCommand.class, MoveIndexCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs a command line and returns its exit status. {@code serve} alone is modelled without the other commands:
     * picocli reading every command's annotations was a fifth of a start's main thread (issue 20); with plain options
     * it is not modelled at all ({@link ServeArguments}).
     */
    static int run(String... args) {
        if (args.length > 0 && args[0].equals("serve")) {
            ServeCommand plain = ServeArguments.read(Arrays.copyOfRange(args, 1, args.length));
            if (plain != null) return plain.run();
            return new CommandLine(new ServeCommand()).setCommandName("stratus serve")
                    .execute(Arrays.copyOfRange(args, 1, args.length));
        }
        return new CommandLine(new Main()).execute(args);
    }
}
