package query;

import core.Pipeline;
import config.TableConfig;
import lake.LoadResult;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.PipelineRun;

/**
 * The query stage of a run: first reconciles the table with what this run converted ({@code COUNT(*)} equals the rows
 * written in overwrite mode, or grew by exactly that many in append mode), then runs {@code pipeline.query.sql}, prints
 * the first rows and keeps all of them as CSV.
 */
public final class QueryStage implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("pipeline.query");

    private final QueryEngineFactory engines;
    private final TableConfig.Mode mode;
    private final String sql;

    public QueryStage(QueryEngineFactory engines, TableConfig.Mode mode, String sql) {
        this.engines = engines;
        this.mode = mode;
        this.sql = sql;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        LoadResult load = exchange.getIn().getMandatoryBody(LoadResult.class);
        try (QueryEngine engine = engines.forRun(run.getRunId())) {
            reconcile(engine.countRows(), run, load);

            QueryResult result = engine.query(sql);
            run.setQueryRows(result.rowCount());
            run.setResultsFile(result.resultsFile() == null ? null : result.resultsFile().toString());
            LOG.info("{}\n{}", sql, result.printedTable());
            exchange.getIn().setBody(result);
        }
    }

    private void reconcile(long rowsInTable, PipelineRun run, LoadResult load) {
        long expected;
        if (mode == TableConfig.Mode.OVERWRITE) {
            expected = run.getRowsWritten();
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
                                              + " (rows written by this run: " + run.getRowsWritten() + ")");
        }
    }

    /** The table does not hold what the run loaded: the run fails rather than report a wrong success. */
    public static final class ReconciliationException extends RuntimeException {

        public ReconciliationException(String message) {
            super(message);
        }
    }
}
