package app;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import config.Datasets;
import config.GivenSettings;
import config.PipelineConfig;
import config.Settings;
import config.TableConfig;
import lake.IcebergTables;
import lake.TableSummary;
import org.apache.iceberg.catalog.TableIdentifier;
import run.DataDirLock;

/**
 * {@code drop-table <namespace.table> --yes}: drops a table of the catalog the configured tables are in, and its load
 * ledger ({@code <table>_loads}), their data and metadata files with them (in S3 Tables, the table bucket deletes
 * them). Without {@code --yes} it only says what would
 * go. It takes the data dir's lock, so that no run of this data dir commits to the table meanwhile.
 */
final class DropTableCommand {

    static final String NAME = "drop-table";
    private static final String YES = "--yes";
    private static final String USAGE = "usage: drop-table <namespace.table> --yes";

    private DropTableCommand() {
    }

    static int run(List<String> args, GivenSettings given, PrintStream out, PrintStream err) {
        List<String> names = args.stream().filter(arg -> !arg.equals(YES)).toList();
        if (names.size() != 1 || names.get(0).startsWith("-") || names.get(0).split("\\.", -1).length != 2) {
            err.println(names.isEmpty() ? USAGE : "drop-table: expected one table as <namespace>.<table>, was "
                    + String.join(" ", names) + "\n" + USAGE);
            return Application.CONFIGURATION_ERROR;
        }
        TableIdentifier identifier = TableIdentifier.parse(names.get(0));
        Settings settings = Commands.settings(given);
        Datasets datasets = Datasets.load(settings);
        settings.validate();
        PipelineConfig shared = datasets.all().get(0);
        List<TableConfig> catalogs = Catalogs.of(datasets);
        DataDirLock lock = new DataDirLock(shared.dataDir());
        lock.start();
        try {
            for (TableConfig catalog : catalogs) {
                try (IcebergTables tables = IcebergTables.open(catalog)) {
                    List<TableSummary> summaries = tables.summaries();
                    Optional<TableSummary> table = summaries.stream()
                            .filter(summary -> summary.name().equals(identifier.toString())).findFirst();
                    if (table.isEmpty()) {
                        continue;
                    }
                    // its load ledger (lake/LoadLedger) goes with it: it describes the loads of this table only
                    TableIdentifier ledger = TableIdentifier.of(identifier.namespace(), catalog.named(
                            identifier.namespace().level(0), identifier.name()).ledgerName());
                    boolean withLedger = summaries.stream().anyMatch(s -> s.name().equals(ledger.toString()));
                    String what = identifier + " (" + String.format(Locale.ROOT, "%,d", table.get().rows())
                            + " rows)" + (withLedger ? " and its load ledger " + ledger : "") + " in "
                            + catalog.catalogDescription();
                    if (!args.contains(YES)) {
                        err.println("drop-table: this drops " + what + ", with their data and metadata files, for"
                                + " good; run it again with " + YES + " to drop it");
                        return Application.CONFIGURATION_ERROR;
                    }
                    tables.drop(identifier);
                    if (withLedger) {
                        tables.drop(ledger);
                    }
                    out.println("dropped " + what);
                    return 0;
                }
            }
        } catch (RuntimeException e) {
            err.println("drop-table: " + e.getMessage());
            return 1;
        } finally {
            lock.stop();
        }
        err.println("drop-table: no table " + identifier + " in " + Catalogs.describe(catalogs)
                + " (bin/s3tables-pipeline tables lists them)");
        return 1;
    }
}
