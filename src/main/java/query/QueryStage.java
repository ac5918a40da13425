package query;

import config.QueryConfig;
import config.TableConfig;
import core.Pipeline;
import lake.LoadResult;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.PipelineRun;

/**
 * The query stage of a run: first reconciles the table with what this run converted ({@code COUNT(*)} equals the rows
 * written in overwrite mode, or grew by exactly that many in append mode, or, in merge mode, by the rows written less
 * the rows they replaced or deleted), then runs {@code pipeline.query.sql} and
 * prints its first rows, writing all of them as CSV only where {@code pipeline.query.resultsDir} asks for it. Without
 * a query of its own, a run prints the table's first rows and row count, reading nothing else. The load is committed
 * by then: a query that fails is reported as the query's outcome ({@code query.status} FAILED), the run stays
 * SUCCEEDED; only a table that does not hold what the run loaded fails the run.
 */
public final class QueryStage implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("pipeline.query");

    private final QueryEngineFactory engines;
    private final TableConfig.Mode mode;
    private final QueryConfig query;

    public QueryStage(QueryEngineFactory engines, TableConfig.Mode mode, QueryConfig query) {
        this.engines = engines;
        this.mode = mode;
        this.query = query;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        LoadResult load = exchange.getIn().getMandatoryBody(LoadResult.class);
        QueryResult result;
        QueryEngine engine = engines.forRun(run.getRunId());
        try {
            long rowsInTable;
            try {
                rowsInTable = engine.countRows();
            } catch (Exception e) {
                queryFailed(run, e);
                return;
            }
            reconcile(rowsInTable, run, load);
            try {
                result = query.previewOnly() ? engine.preview(rowsInTable) : engine.query(query.sql());
            } catch (Exception e) {
                queryFailed(run, e);
                return;
            }
        } finally {
            close(engine, run);
        }
        run.querySucceeded(result.rowCount(), result.resultsFile() == null ? null : result.resultsFile().toString());
        LOG.info("{}\n{}", query.previewOnly() ? "the first rows of " + load.table() : query.sql(),
                result.printedTable());
        query.resultsDir().ifPresent(dir -> ResultsFiles.keepNewest(dir, query.keepResults(), result.resultsFile()));
        exchange.getIn().setBody(result);
    }

    private static void close(QueryEngine engine, PipelineRun run) {
        try {
            engine.close();
        } catch (Exception e) {
            LOG.warn("run {}: the query engine did not close cleanly: {}", run.getRunId(), e.getMessage());
        }
    }

    // the commit is done: the run keeps its SUCCEEDED, its report says what became of the query
    private static void queryFailed(PipelineRun run, Exception failure) {
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        LOG.warn("run {}: the query failed, the load is committed: {}", run.getRunId(), message);
        LOG.debug("run {} query failure", run.getRunId(), failure);
        run.queryFailed(message);
    }

    private void reconcile(long rowsInTable, PipelineRun run, LoadResult load) {
        long expected;
        if (mode == TableConfig.Mode.OVERWRITE) {
            expected = run.getRowsWritten();
        } else if (mode == TableConfig.Mode.MERGE && load.merged() != null && load.previousRowCount() >= 0) {
            // the rows it had, but those the merge took out, and the input's rows, one a key not deleted
            expected = load.previousRowCount() - load.merged().rowsRemoved() + load.rowsAdded();
        } else if (mode == TableConfig.Mode.MERGE) {
            LOG.warn("run {}: what the merge into {} replaced is unknown, the table holds {} rows", run.getRunId(),
                    load.table(), rowsInTable);
            return;
        } else if (load.previousRowCount() >= 0) {
            expected = load.previousRowCount() + run.getRowsWritten();
        } else {
            LOG.warn("run {}: the row count of {} before this append is unknown, the table holds {} rows",
                    run.getRunId(), load.table(), rowsInTable);
            return;
        }
        if (rowsInTable != expected) {
            throw new ReconciliationException("table " + load.table() + " holds " + rowsInTable + " rows after the "
                                              + mode.name().toLowerCase() + ", expected " + expected
                                              + " (rows written by this run: " + run.getRowsWritten()
                                              + (load.merged() != null ? ", rows it replaced or deleted: "
                                                 + load.merged().rowsRemoved() : "") + ")");
        }
    }

    /** The table does not hold what the run loaded: the run fails rather than report a wrong success. */
    public static final class ReconciliationException extends RuntimeException {

        public ReconciliationException(String message) {
            super(message);
        }
    }
}
