package app;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.iceberg.catalog.TableIdentifier;
import query.QueryEngine;
import query.QueryResult;

/**
 * {@code query "<sql>"}: the SQL, one statement that only reads, answered by the configured query engine
 * ({@code pipeline.query.engine}) and printed as a table (its first {@code pipeline.query.printRows} rows). With DuckDB
 * every table of the catalog is a view ({@code "data"."trips"}), read at its current snapshot, whose files a commit
 * made meanwhile does not delete; with Athena, the tables of the S3 Tables catalog. It takes no lock: it reads while
 * the service runs on the same data dir.
 */
final class QueryCommand {

    static final String NAME = "query";
    private static final String USAGE = "usage: query \"<sql>\"   (one statement that only reads; the first"
            + " pipeline.query.printRows rows are printed)";

    private QueryCommand() {
    }

    static int run(List<String> args, GivenSettings given, PrintStream out, PrintStream err) {
        if (args.size() != 1 || args.get(0).isBlank()) {
            err.println(args.isEmpty() ? USAGE : "query: expected the SQL as one argument, in quotes\n" + USAGE);
            return Application.CONFIGURATION_ERROR;
        }
        String sql = args.get(0);
        Settings settings = Commands.settings(given);
        Datasets datasets = Datasets.load(settings);
        settings.validate();
        PipelineConfig config = datasets.all().get(0);
        Optional<String> problem = Engines.readOnlyProblem(config, "the query", sql);
        if (problem.isPresent()) {
            err.println("query: " + problem.get());
            return Application.CONFIGURATION_ERROR;
        }
        String name = "query-" + LocalDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss", Locale.ROOT));
        try (CamelContext context = new DefaultCamelContext()) {
            QueryEngine engine;
            switch (config.queryEngine()) {
                case DUCKDB -> {
                    List<TableConfig> tables = existingTables(datasets);
                    if (tables.isEmpty()) {
                        err.println("query: no tables in " + Catalogs.describe(Catalogs.of(datasets))
                                + " yet: load a CSV first");
                        return 1;
                    }
                    TableConfig about = tables.stream()
                            .filter(table -> table.qualifiedName().equals(config.table().qualifiedName()))
                            .findFirst().orElse(tables.get(0));
                    engine = Engines.queryEngines(context, config, about, tables).forRun(name);
                }
                case ATHENA -> {
                    // Athena's calls go through camel-aws2-athena's producer
                    context.start();
                    engine = Engines.queryEngines(context, config, datasets.tables()).forRun(name);
                }
                default -> throw new IllegalStateException("no query engine " + config.queryEngine());
            }
            try (engine) {
                QueryResult result = engine.query(sql);
                out.println(result.printedTable());
                if (result.resultsFile() != null) {
                    out.println("every row in " + result.resultsFile());
                }
            }
            return 0;
        } catch (Exception e) {
            err.println("query: " + e.getMessage());
            return 1;
        }
    }

    /** Every table of the catalogs, as a table of the same catalog as the configured ones. */
    private static List<TableConfig> existingTables(Datasets datasets) {
        List<TableConfig> tables = new ArrayList<>();
        for (TableConfig catalog : Catalogs.of(datasets)) {
            try (IcebergTables opened = IcebergTables.open(catalog)) {
                for (TableSummary summary : opened.summaries()) {
                    TableIdentifier identifier = TableIdentifier.parse(summary.name());
                    if (identifier.namespace().levels().length == 1) {
                        tables.add(catalog.named(identifier.namespace().level(0), identifier.name()));
                    }
                }
            }
        }
        return tables;
    }
}
