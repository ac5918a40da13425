package config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code pipeline.query.*}: the SQL run after the load, how much of its answer is printed, and where the whole answer
 * is written if anywhere.
 *
 * @param sql         the SQL: {@code pipeline.query.sql}, or else the whole table the dataset loads
 * @param wholeTable  true when {@code pipeline.query.sql} is not set: the answer is the table, of which a run prints
 *                    the first rows and the row count without reading the rest (unless its rows are written to a file)
 * @param resultsDir  where {@code <runId>.csv} with every row of the answer goes; empty: no file is written
 * @param keepResults how many of the newest results files {@code resultsDir} keeps; 0: every one
 */
public record QueryConfig(String sql, boolean wholeTable, int printRows, Optional<Path> resultsDir, int keepResults) {

    /** A query given as SQL whose whole answer is written to {@code resultsDir}, every results file kept. */
    public QueryConfig(String sql, int printRows, Path resultsDir) {
        this(sql, false, printRows, Optional.of(resultsDir), 0);
    }

    /**
     * An empty {@code pipeline.query.sql} reads the whole table the dataset loads, so the default follows
     * {@code pipeline.table.namespace} and {@code pipeline.table.name}.
     */
    public static QueryConfig from(Settings s, TableConfig table) {
        Optional<String> sql = s.optional("pipeline.query.sql");
        return new QueryConfig(
                sql.orElseGet(() -> wholeTable(table)),
                sql.isEmpty(),
                s.integer("pipeline.query.printRows", 0, 10_000),
                s.optional("pipeline.query.resultsDir").map(dir -> Path.of(dir).toAbsolutePath().normalize()),
                s.integer("pipeline.query.keepResults", 0, 1_000_000));
    }

    public static String wholeTable(TableConfig table) {
        return "SELECT * FROM \"" + table.namespace() + "\".\"" + table.name() + "\"";
    }

    /** Whether a run prints the first rows of the table and its row count only, reading no other row. */
    public boolean previewOnly() {
        return wholeTable && resultsDir.isEmpty();
    }
}
