package app;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

import config.ConfigurationException;
import config.GivenSettings;
import config.SettingNames;
import config.Settings;

/**
 * The commands of {@code bin/s3tables-pipeline}, each answering without starting the pipeline. They read the settings
 * as the app does ({@link GivenSettings}: application.properties, the profile's file, {@code --config}, {@code -D},
 * the environment), and a misspelt key stops them as it stops the app.
 */
final class Commands {

    /** A command: prints its answer to {@code out}, what went wrong to {@code err}, and returns the exit code. */
    interface Command {
        int run(List<String> args, GivenSettings given, PrintStream out, PrintStream err);
    }

    /** A command as {@code help} lists it. */
    record Entry(String name, String usage, String summary, Command command) {
    }

    static final String HELP = "help";
    private static final List<String> HELP_OPTIONS = List.of("-h", "-help", "--help");

    static final List<Entry> ALL = List.of(
            new Entry(HELP, "help", "this text", HelpCommand::run),
            new Entry(RunsCommand.NAME, "runs [--last N] [--dataset D]",
                    "the recent runs: status, table, source, rows, error", RunsCommand::run),
            new Entry(TablesCommand.NAME, "tables", "the tables of the catalog: rows, last load and its run",
                    TablesCommand::run),
            new Entry(QueryCommand.NAME, "query \"<sql>\"",
                    "runs the SQL with the query engine over the tables, prints the answer", QueryCommand::run),
            new Entry(SchemaCommand.NAME, "schema <csv> [--sample N]",
                    "the Avro schema a run would infer for the CSV", SchemaCommand::run),
            new Entry(MaintainCommand.NAME, "maintain [--dataset D]",
                    "compacts each table and its load ledger once, expires snapshots, deletes orphan files",
                    MaintainCommand::run),
            new Entry(DropTableCommand.NAME, "drop-table <namespace.table> --yes",
                    "drops a table and its load ledger, with their files", DropTableCommand::run));

    private Commands() {
    }

    /** Whether the first argument names a command (or asks for help), rather than being an option for Camel Main. */
    static boolean isCommand(String arg) {
        return !arg.startsWith("-") || HELP_OPTIONS.contains(arg);
    }

    /** Runs the command {@code name}; an unknown one is named, with the list of commands, and exits 2. */
    static int run(String name, List<String> args, GivenSettings given, PrintStream out, PrintStream err) {
        String command = HELP_OPTIONS.contains(name) ? HELP : name;
        Optional<Entry> entry = ALL.stream().filter(e -> e.name().equals(command)).findFirst();
        if (entry.isEmpty()) {
            err.println(name + " is not a command of s3tables-pipeline; the commands are:");
            HelpCommand.commands(err);
            return Application.CONFIGURATION_ERROR;
        }
        try {
            return entry.get().command().run(args, given, out, err);
        } catch (ConfigurationException e) {
            err.println(e.getMessage());
            return Application.CONFIGURATION_ERROR;
        }
    }

    /**
     * The settings as the app reads them, a misspelt key a problem (the caller validates once it has read what it
     * needs, so that every problem is named at once).
     */
    static Settings settings(GivenSettings given) {
        Settings settings = new Settings(given::value);
        SettingNames.Check names = SettingNames.check(given.given("pipeline."), settings.list("pipeline.datasets"));
        names.problems().forEach(settings::problem);
        return settings;
    }
}
