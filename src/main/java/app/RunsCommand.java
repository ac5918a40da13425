package app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import core.DataDirLayout;
import core.Printable;
import config.PipelineConfig;
import config.Settings;
import query.TextTable;
import run.RunHistory;

/**
 * {@code runs [--last N] [--dataset D]}: the recent runs of {@code pipeline.data.dir} as a table, newest first,
 * read from their reports without starting the pipeline.
 */
final class RunsCommand {

    static final String NAME = "runs";
    private static final String USAGE = "usage: runs [--last N] [--dataset D]   (-Dpipeline.data.dir=<dir>, default data)";

    private RunsCommand() {
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
                String.valueOf(r.rowsWritten()), duration(r.durationMs()), r.ledgerEntry(), r.error())).toList();
        out.println(TextTable.render(
                List.of("run id", "dataset", "trigger", "status", "rows", "duration", "ledger entry", "error or reason"),
                rows, rows.size()));
        return 0;
    }

    /** {@code pipeline.data.dir} as the app would read it: the environment, then {@code -D}, then its default. */
    static Path dataDir() {
        return PipelineConfig.dataDir(new Settings(RunsCommand::setting));
    }

    /** A setting as a command reads it, without starting the app: the environment, then {@code -D}. */
    static Optional<String> setting(String key) {
        return Optional.ofNullable(System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_')))
                .or(() -> Optional.ofNullable(System.getProperty(key)));
    }

    private static String duration(Long millis) {
        if (millis == null) {
            return "";
        }
        return millis < 60_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                : String.format(Locale.ROOT, "%d min %d s", millis / 60_000, millis / 1000 % 60);
    }
}
