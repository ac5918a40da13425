package athena;

import java.nio.file.Path;
import java.util.Optional;

import config.AthenaConfig;
import core.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.athena.Athena2Constants;
import query.QueryEngine;
import query.QueryResult;

/**
 * Query engine {@code athena} for one run: each query is an exchange of its own sent to the shared Athena routes
 * ({@code routes/AthenaRoutes}), carrying what is the run's: the SQL, with the pipeline's table qualified by the S3
 * Tables catalog (the component has no catalog option), the database, the output location and the run id that names
 * the results file.
 */
public final class AthenaQueryEngine implements QueryEngine {

    /** The routes' entries: the rows to the run's results file, or the one number of a {@code COUNT(*)}. */
    public static final String QUERY = "athena-query";
    public static final String COUNT = "athena-count";

    private final ProducerTemplate routes;
    private final AthenaQueries queries;
    private final AthenaConfig config;
    private final Optional<Path> resultsDir;
    private final String runId;

    /**
     * @param queries    the routes' bean, as {@link AthenaQueries#bind} made it
     * @param config     the dataset's {@code pipeline.athena.*}: its table, database and output location
     * @param resultsDir where {@code <runId>.csv} goes: {@code pipeline.query.resultsDir}, as for DuckDB; empty: no
     *                   file, the rows are only counted and the first ones printed
     */
    public AthenaQueryEngine(ProducerTemplate routes, AthenaQueries queries, AthenaConfig config,
                             Optional<Path> resultsDir, String runId) {
        this.routes = routes;
        this.queries = queries;
        this.config = config;
        this.resultsDir = resultsDir;
        this.runId = runId;
    }

    /** Runs the SQL and writes all rows to {@code <resultsDir>/<runId>.csv}, when there is a results folder. */
    @Override
    public QueryResult query(String sql) throws Exception {
        String qualified = AthenaSql.qualify(sql, config.qualifiedTable(), config.database(), config.table());
        return send(QUERY, qualified, resultsDir).getMandatoryBody(QueryResult.class);
    }

    /** The first rows of the table, with a LIMIT: Athena scans (and bills) no more than they take; no file. */
    @Override
    public QueryResult preview(long tableRows) throws Exception {
        QueryResult first = send(QUERY, "SELECT * FROM " + config.qualifiedTable() + " LIMIT " + config.printRows(),
                Optional.empty()).getMandatoryBody(QueryResult.class);
        String printed = first.printedTable();
        if (tableRows > first.rowCount()) {
            printed = printed + "(" + first.rowCount() + " of " + tableRows + " rows)\n";
        }
        return new QueryResult(first.columns(), tableRows, null, printed);
    }

    @Override
    public long countRows() throws Exception {
        return send(COUNT, "SELECT COUNT(*) FROM " + config.qualifiedTable(), Optional.empty())
                .getMandatoryBody(Long.class);
    }

    private Message send(String route, String sql, Optional<Path> resultsDir) throws Exception {
        Exchange done = routes.request("direct:" + route, exchange -> {
            exchange.getMessage().setBody(sql);
            exchange.getMessage().setHeader(Athena2Constants.DATABASE, config.database());
            exchange.getMessage().setHeader(Athena2Constants.OUTPUT_LOCATION, config.outputLocation());
            resultsDir.ifPresent(dir -> exchange.getMessage().setHeader(Pipeline.RESULTS_DIR, dir.toString()));
            exchange.getMessage().setHeader(Pipeline.PRINT_ROWS, config.printRows());
            if (runId != null) {
                exchange.getMessage().setHeader(Pipeline.RUN_ID, runId);
            }
        });
        Exception failure = done.getException();
        if (failure instanceof AthenaQueryException) {
            throw failure;
        }
        if (failure != null) {
            // a call that failed on the way (the SDK, the results file): the message names the query
            AthenaQueries.Execution query = AthenaQueries.execution(done);
            if (query == null || query.id == null) {
                throw new AthenaQueryException("Athena query could not be started: " + failure.getMessage(), failure);
            }
            String url = AthenaQueries.consoleUrl(config.region(), query.id);
            if (queries.appStopping() || done.getContext().isStopping()) {
                // the routes refused to go on, or the client was closed: the app's stop ends the query
                throw new AthenaQueryException("Athena query " + query.id + " stopped with StopQueryExecution: the app"
                                               + " is stopping (" + failure.getMessage() + ")" + url, failure);
            }
            throw new AthenaQueryException("Athena query " + query.id + " failed: " + failure.getMessage() + url,
                                           failure);
        }
        return done.getMessage();
    }
}
