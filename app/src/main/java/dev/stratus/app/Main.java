package dev.stratus.app;

import dev.stratus.app.tools.CheckCommand;
import dev.stratus.app.tools.ExportCommand;
import dev.stratus.app.tools.ImportCommand;
import dev.stratus.app.tools.MoveIndexCommand;
import dev.stratus.app.tools.ReindexCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
