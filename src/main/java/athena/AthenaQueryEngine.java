package athena;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import config.AthenaConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import query.QueryEngine;
import query.QueryResult;
import query.ResultsFiles;

/**
 * Query engine {@code athena} for one run: each query runs through the shared {@link AthenaQueries}, with what is the
 * run's: the SQL, with the pipeline's table qualified by the S3 Tables catalog (the component has no catalog option),
 * the database, the output location and the run id that names the results file.
 */
public final class AthenaQueryEngine implements QueryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(AthenaQueryEngine.class);

    private final AthenaQueries queries;
    private final AthenaConfig config;
    private final Optional<Path> resultsDir;
    private final String runId;

    /**
     * @param queries    the shared calls, as {@link AthenaQueries#bind} made them
     * @param config     the dataset's {@code pipeline.athena.*}: its table, database and output location
     * @param resultsDir where {@code <runId>.csv} goes: {@code pipeline.query.resultsDir}, as for DuckDB; empty: no
     *                   file, the rows are only counted and the first ones printed
     */
    public AthenaQueryEngine(AthenaQueries queries, AthenaConfig config, Optional<Path> resultsDir, String runId) {
        this.queries = queries;
        this.config = config;
        this.resultsDir = resultsDir;
        this.runId = runId;
    }

    /** Runs the SQL and writes all rows to {@code <resultsDir>/<runId>.csv}, when there is a results folder. */
    @Override
    public QueryResult query(String sql) throws Exception {
        String qualified = AthenaSql.qualify(sql, config.qualifiedTable(), config.database(), config.table());
        String id = queries.run(qualified, config.database(), config.outputLocation());
        return results(id, resultsDir.map(dir -> dir.resolve(ResultsFiles.name(runId != null ? runId : id)))
                .orElse(null));
    }

    /** The first rows of the table, with a LIMIT: Athena scans (and bills) no more than they take; no file. */
    @Override
    public QueryResult preview(long tableRows) throws Exception {
        String id = queries.run("SELECT * FROM " + config.qualifiedTable() + " LIMIT " + config.printRows(),
                config.database(), config.outputLocation());
        QueryResult first = results(id, null);
        String printed = first.printedTable();
        if (tableRows > first.rowCount()) {
            printed = printed + "(" + first.rowCount() + " of " + tableRows + " rows)\n";
        }
        return new QueryResult(first.columns(), tableRows, null, printed);
    }

    /** The one number a {@code SELECT COUNT(*)} of the table answers with. */
    @Override
    public long countRows() throws Exception {
        String sql = "SELECT COUNT(*) FROM " + config.qualifiedTable();
        String id = queries.run(sql, config.database(), config.outputLocation());
        Rows rows = new Rows();
        queries.readResults(id, rows);
        if (rows.values.size() != 1 || rows.values.get(0).isEmpty() || rows.values.get(0).get(0) == null) {
            throw new AthenaQueryException("Athena query " + id + " (" + sql + ") returned " + rows.values.size()
                                           + " rows, expected one");
        }
        return Long.parseLong(rows.values.get(0).get(0).trim());
    }

    /** Every row of query {@code id}, counted, the first ones kept for printing, and written to {@code file} if any. */
    private QueryResult results(String id, Path file) throws Exception {
        try (ResultsWriter writer = new ResultsWriter(file, config.printRows())) {
            queries.readResults(id, writer);
            writer.close();
            if (file != null) {
                LOG.info("Athena query {} returned {} rows, written to {}", id, writer.rowCount(), file);
            } else {
                LOG.info("Athena query {} returned {} rows", id, writer.rowCount());
            }
            return new QueryResult(writer.columns(), writer.rowCount(), writer.file(), writer.printedTable());
        } catch (AthenaQueryException e) {
            throw e;
        } catch (Exception e) {
            throw queries.failed(id, e); // the results file: the message names the query
        }
    }

    /** Every row in memory, for answers of one row. */
    private static final class Rows implements ResultHandler {

        final List<List<String>> values = new ArrayList<>();

        @Override
        public void columns(List<String> names) {
        }

        @Override
        public void row(List<String> row) {
            values.add(row);
        }
    }
}
