package app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import core.DataDirLayout;
import core.Printable;
import config.GivenSettings;
import config.PipelineConfig;
import config.Settings;
import query.TextTable;
import run.RunHistory;

/**
 * {@code runs [--last N] [--dataset D]}: the recent runs of {@code pipeline.data.dir} as a table, newest first, each
 * with its table and source, read from their reports without starting the pipeline.
 */
final class RunsCommand {

    static final String NAME = "runs";
    private static final String USAGE = "usage: runs [--last N] [--dataset D]   (-Dpipeline.data.dir=<dir>, default data)";

    private RunsCommand() {
    }

    /** The command over the settings {@code given}: the runs of their {@code pipeline.data.dir}. */
    static int run(List<String> args, GivenSettings given, PrintStream out, PrintStream err) {
        Settings settings = Commands.settings(given);
        Path dataDir = PipelineConfig.dataDir(settings);
        settings.validate();
        return run(args, dataDir, out, err);
    }

    /** Prints the table to {@code out}, or the usage to {@code err}; returns the exit code. */
    static int run(List<String> args, Path dataDir, PrintStream out, PrintStream err) {
        int last = 20;
        Optional<String> dataset = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            boolean hasValue = i + 1 < args.size();
            if (arg.equals("--last") && hasValue && args.get(i + 1).matches("[1-9][0-9]{0,8}")) {
                last = Integer.parseInt(args.get(++i));
            } else if (arg.equals("--dataset") && hasValue) {
                dataset = Optional.of(args.get(++i));
            } else {
                err.println("runs: unexpected argument " + arg + (arg.equals("--last") ? " (a positive number must follow)" : ""));
                err.println(USAGE);
                return Application.CONFIGURATION_ERROR;
            }
        }
        List<RunHistory.Entry> runs;
        try {
            RunHistory.Listing listing = RunHistory.recent(dataDir, last, dataset);
            listing.unreadable().forEach(problem -> err.println("runs: skipped " + Printable.escape(problem)));
            runs = listing.runs();
        } catch (Exception e) {
            err.println("runs: " + e.getMessage());
            return 1;
        }
        if (runs.isEmpty()) {
            out.println("no runs in " + DataDirLayout.runs(dataDir) + dataset.map(d -> " for dataset " + d).orElse(""));
            return 0;
        }
        List<List<String>> rows = runs.stream().map(r -> List.of(r.runId(), r.dataset(), r.trigger(), r.status(),
                Objects.toString(r.table(), ""), r.source(), String.valueOf(r.rowsWritten()), duration(r.durationMs()), r.ledgerEntry(),
                r.error())).toList();
        out.println(TextTable.render(
                List.of("run id", "dataset", "trigger", "status", "table", "source", "rows", "duration",
                        "ledger entry", "error or reason"),
                rows, rows.size()));
        return 0;
    }

    private static String duration(Long millis) {
        if (millis == null) {
            return "";
        }
        return millis < 60_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                : String.format(Locale.ROOT, "%d min %d s", millis / 60_000, millis / 1000 % 60);
    }
}
