package app;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import config.GivenSettings;
import config.Settings;

/**
 * {@code help} ({@code --help}, {@code -h}): what the launcher runs, the commands, how settings are given, the five
 * settings most people change with their defaults (read from application.properties), and where the docs are.
 */
final class HelpCommand {

    /** The settings most people change, with what each does. */
    private static final List<List<String>> SETTINGS = List.of(
            List.of("pipeline.once", "a CSV file or http(s) URL to load once, then exit"),
            List.of("pipeline.table.name", "the Iceberg table (in pipeline.table.namespace); runs are named after it"),
            List.of("pipeline.convert.schema", "the Avro schema of the rows (a file or classpath:); empty, or a table"
                    + " other than products: inferred from the CSV"),
            List.of("pipeline.table.mode", "overwrite replaces the table in one commit; append adds; merge upserts on"
                    + " pipeline.table.key"),
            List.of("pipeline.query.sql", "the query after each load; empty: the table's first rows"));

    private HelpCommand() {
    }

    static int run(List<String> args, GivenSettings given, PrintStream out, PrintStream err) {
        out.println("s3tables-pipeline: CSV to Parquet to an Apache Iceberg table, then a query; every run reported"
                + " in <pipeline.data.dir>/runs/.");
        out.println();
        out.println("  bin/s3tables-pipeline [options]                      the service: loads what is dropped in"
                + " data/inbox/");
        out.println("  bin/s3tables-pipeline -Dpipeline.once=<csv> [options] one load, then exit: 0 done, 1 failed,"
                + " 2 bad configuration, 3 loaded but the query failed");
        out.println("  bin/s3tables-pipeline [options] <command> [arguments]");
        out.println();
        out.println("Commands:");
        commands(out);
        out.println();
        out.println("Options: -D<setting>=<value>, or --config <file> (a properties file read over"
                + " application.properties); an environment variable such as PIPELINE_TABLE_NAME=trips sets"
                + " pipeline.table.name and wins over both.");
        out.println();
        out.println("The settings most people change, with their defaults:");
        Settings defaults = new Settings(key -> Optional.empty());
        for (List<String> setting : SETTINGS) {
            out.println("  " + setting.get(0) + " = " + defaults.raw(setting.get(0)).map(String::trim).orElse(""));
            out.println("      " + setting.get(1));
        }
        out.println();
        out.println("Docs: README.md, and docs/configuration.md (every setting), docs/architecture.md,"
                + " docs/aws.md beside bin/.");
        return 0;
    }

    /** One line per command: how it is called and what it answers. */
    static void commands(PrintStream out) {
        int width = Commands.ALL.stream().mapToInt(c -> c.usage().length()).max().orElse(0);
        for (Commands.Entry command : Commands.ALL) {
            out.println(String.format(Locale.ROOT, "  %-" + width + "s  %s", command.usage(), command.summary()));
        }
    }
}
