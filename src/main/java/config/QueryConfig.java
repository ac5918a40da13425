package config;

import java.nio.file.Path;

import core.DataDirLayout;

/** {@code pipeline.query.*}: the SQL run after the load, how much of it is printed and where results are kept. */
public record QueryConfig(String sql, int printRows, Path resultsDir) {

    /**
     * An empty {@code pipeline.query.sql} reads the whole table the dataset loads, so the default follows
     * {@code pipeline.table.namespace} and {@code pipeline.table.name}.
     */
    public static QueryConfig from(Settings s, Path dataDir, TableConfig table) {
        return new QueryConfig(
                s.optional("pipeline.query.sql").orElseGet(() -> wholeTable(table)),
                s.integer("pipeline.query.printRows", 0, 10_000),
                // empty means derived: the results folder of the data dir
                s.optional("pipeline.query.resultsDir").map(Path::of).orElseGet(() -> DataDirLayout.results(dataDir)));
    }

    public static String wholeTable(TableConfig table) {
        return "SELECT * FROM \"" + table.namespace() + "\".\"" + table.name() + "\"";
    }
}
