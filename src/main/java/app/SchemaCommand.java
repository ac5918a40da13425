package app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import config.ConfigurationException;
import config.ConvertConfig;
import config.GivenSettings;
import config.Settings;
import convert.InferredSchema;
import convert.SchemaInference;
import query.TextTable;

/**
 * {@code schema <csv> [--sample N]}: the Avro schema a run would infer for the CSV, on standard output, ready to be
 * saved and passed as {@code pipeline.convert.schema}; and on standard error, what the inference saw of each column.
 * The CSV is read as the convert reads it ({@code -Dpipeline.convert.*} apply).
 */
final class SchemaCommand {

    static final String NAME = "schema";
    private static final String USAGE = "usage: schema <csv> [--sample N]   (the -Dpipeline.convert.* settings apply)";

    private SchemaCommand() {
    }

    /** The command over the settings {@code given}. */
    static int run(List<String> args, GivenSettings given, PrintStream out, PrintStream err) {
        return run(args, Commands.settings(given), out, err);
    }

    /** Prints the schema to {@code out} and the columns to {@code err}; returns the exit code. */
    static int run(List<String> args, Settings settings, PrintStream out, PrintStream err) {
        Path csv = null;
        Integer sample = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--sample") && i + 1 < args.size() && args.get(i + 1).matches("[1-9][0-9]{0,8}")) {
                sample = Integer.parseInt(args.get(++i));
            } else if (csv == null && !arg.startsWith("--")) {
                csv = Path.of(arg);
            } else {
                err.println("schema: unexpected argument " + arg
                        + (arg.equals("--sample") ? " (a positive number must follow)" : ""));
                err.println(USAGE);
                return Application.CONFIGURATION_ERROR;
            }
        }
        if (csv == null) {
            err.println(USAGE);
            return Application.CONFIGURATION_ERROR;
        }
        if (!Files.isRegularFile(csv)) {
            err.println("schema: " + csv + " is not a file");
            return Application.CONFIGURATION_ERROR;
        }
        ConvertConfig config;
        try {
            config = ConvertConfig.from(settings);
            settings.validate();
        } catch (ConfigurationException e) {
            err.println(e.getMessage());
            return Application.CONFIGURATION_ERROR;
        }
        int rows = sample != null ? sample : config.inferSampleRows();
        InferredSchema inferred;
        try {
            inferred = SchemaInference.infer(csv, config, rows);
        } catch (IOException | RuntimeException e) {
            err.println("schema: " + csv + ": " + e.getMessage());
            return 1;
        }
        out.println(inferred.avro().toString(true));
        List<List<String>> columns = inferred.columns().stream().map(c -> List.of(c.header(), c.name(), c.type(),
                c.example() == null ? "" : c.example(), String.valueOf(c.nulls()))).toList();
        err.println(TextTable.render(List.of("csv header", "column", "type", "example", "nulls"), columns,
                columns.size()).replaceFirst("\\d+ rows?$", String.format(Locale.ROOT, "%d column(s), from the first"
                + " %d data row(s) of %s", columns.size(), inferred.sampleRows(), csv)));
        err.println("Save the schema (the standard output) to a file and pass it as -Dpipeline.convert.schema=<file>"
                + " to load with it; a value after the sample that does not fit its column's type widens the column");
        return 0;
    }
}
