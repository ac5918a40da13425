package app;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import config.ConfigurationException;
import config.Datasets;
import config.GivenSettings;
import config.PipelineConfig;
import config.Settings;
import config.TableConfig;
import lake.S3TablesMaintenance;
import lake.TableMaintenance;
import run.DataDirLock;

/**
 * {@code maintain [--dataset D]}: maintains the table of each dataset (or of dataset D) and its load ledger once, as
 * {@code pipeline.table.maintenance.*} says, and prints what was done; without starting the pipeline. A local or JDBC
 * table is compacted, its old snapshots expired and its orphan files removed ({@link TableMaintenance}), holding the
 * data dir's lock so that no run loads it meanwhile; a table in S3 Tables, which maintains itself, gets its maintenance
 * configuration set (when enabled) and printed ({@link S3TablesMaintenance}).
 */
final class MaintainCommand {

    static final String NAME = "maintain";
    private static final String USAGE = "usage: maintain [--dataset D]   (the settings apply: -Dpipeline.*, --config)";

    private MaintainCommand() {
    }

    /** The command over the settings {@code given}. */
    static int run(List<String> args, GivenSettings given, PrintStream out, PrintStream err) {
        return run(args, Commands.settings(given), out, err);
    }

    /** Maintains and prints to {@code out}, or the problem to {@code err}; returns the exit code. */
    static int run(List<String> args, Settings settings, PrintStream out, PrintStream err) {
        Optional<String> only = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--dataset") && i + 1 < args.size()) {
                only = Optional.of(args.get(++i));
            } else {
                err.println("maintain: unexpected argument " + args.get(i));
                err.println(USAGE);
                return Application.CONFIGURATION_ERROR;
            }
        }
        Datasets datasets;
        try {
            datasets = Datasets.load(settings);
            settings.validate();
        } catch (ConfigurationException e) {
            err.println(e.getMessage());
            return Application.CONFIGURATION_ERROR;
        }
        // a table loaded by two datasets is maintained once
        Map<String, PipelineConfig> tables = new LinkedHashMap<>();
        for (PipelineConfig config : datasets.all()) {
            if (only.isEmpty() || only.get().equals(config.dataset())) {
                tables.putIfAbsent(config.table().qualifiedName(), config);
            }
        }
        if (tables.isEmpty()) {
            err.println("maintain: no dataset " + only.orElse("") + " in pipeline.datasets");
            return Application.CONFIGURATION_ERROR;
        }
        DataDirLock lock = new DataDirLock(datasets.all().get(0).dataDir());
        try {
            lock.start();
        } catch (RuntimeException e) {
            err.println("maintain: " + e.getMessage());
            return Application.CONFIGURATION_ERROR;
        }
        try {
            for (PipelineConfig config : tables.values()) {
                maintain(config.table(), out);
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("maintain: " + e.getMessage());
            return 1;
        } finally {
            lock.stop();
        }
    }

    private static void maintain(TableConfig table, PrintStream out) {
        if (table.catalog() == TableConfig.Catalog.S3TABLES) {
            S3TablesMaintenance s3tables = new S3TablesMaintenance(table);
            s3tables.apply();
            List<S3TablesMaintenance.Configuration> configurations = s3tables.read();
            if (configurations.isEmpty()) {
                out.println(table.qualifiedName() + ": not in the table bucket yet");
            }
            configurations.forEach(configuration -> out.println(configuration.describe()));
            return;
        }
        List<TableMaintenance.Result> results = new TableMaintenance(table).maintain();
        if (results.isEmpty()) {
            out.println(table.qualifiedName() + ": no such table yet, nothing to maintain");
        }
        results.forEach(result -> out.println(result.describe()));
    }
}
