package app;

import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import config.Datasets;
import config.GivenSettings;
import config.Settings;
import config.TableConfig;
import lake.IcebergTables;
import lake.TableSummary;
import query.TextTable;

/**
 * {@code tables}: every table of the catalog the configured tables are in (the data dir's warehouse unless
 * {@code pipeline.table.catalog} says otherwise), one row each: its rows and its last load, the newest commit a run
 * made (when, which run, from which source); a table's load ledger is listed as such, its rows the loads it records.
 * Read without the data dir's lock: the service may be running.
 */
final class TablesCommand {

    static final String NAME = "tables";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    /** A column of the listing: its header and its cell of a table. */
    record Column(String header, Function<TableSummary, String> cell) {
    }

    static final List<Column> COLUMNS = List.of(
            new Column("table", TableSummary::name),
            new Column("rows", table -> String.format(Locale.ROOT, "%,d", table.rows())),
            new Column("last load", table -> table.lastLoad().map(load -> TIME.format(load.committedAt()))
                    .orElse("")),
            new Column("by run", table -> table.lastLoad().map(TableSummary.Load::runId).orElse("")),
            new Column("source", table -> table.ledgerOf().map(data -> "(load ledger of " + data + ")")
                    .orElseGet(() -> table.lastLoad().map(TableSummary.Load::source).orElse(""))));

    private TablesCommand() {
    }

    static int run(List<String> args, GivenSettings given, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            err.println("tables: unexpected argument " + args.get(0));
            err.println("usage: tables");
            return Application.CONFIGURATION_ERROR;
        }
        Settings settings = Commands.settings(given);
        Datasets datasets = Datasets.load(settings);
        settings.validate();
        List<TableConfig> catalogs = Catalogs.of(datasets);
        List<TableSummary> tables = new ArrayList<>();
        for (TableConfig catalog : catalogs) {
            try (IcebergTables opened = IcebergTables.open(catalog)) {
                tables.addAll(opened.summaries());
            } catch (RuntimeException e) {
                err.println("tables: " + e.getMessage());
                return 1;
            }
        }
        if (tables.isEmpty()) {
            out.println("no tables in " + Catalogs.describe(catalogs));
            return 0;
        }
        List<List<String>> rows = tables.stream()
                .map(table -> COLUMNS.stream().map(column -> column.cell().apply(table)).toList()).toList();
        out.println(TextTable.render(COLUMNS.stream().map(Column::header).toList(), rows, rows.size())
                .replaceFirst("\\d+ rows?$", rows.size() + " table(s) in " + Catalogs.describe(catalogs)));
        return 0;
    }
}
