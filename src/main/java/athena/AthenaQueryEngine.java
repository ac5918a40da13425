package athena;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.stream.Collectors;

import config.AthenaConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.athena.Athena2Constants;
import org.apache.camel.component.aws2.athena.Athena2Endpoint;
import org.apache.camel.component.aws2.athena.Athena2Operations;
import org.apache.camel.component.aws2.athena.Athena2OutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import query.QueryEngine;
import query.QueryResult;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatus;
import software.amazon.awssdk.services.athena.model.Row;

/**
 * Query engine {@code athena}: runs the SQL through camel-aws2-athena against the S3 Tables catalog (table references
 * qualified in the SQL, since the component has no catalog option), waits for it (stopping it on timeout or stop),
 * reads every result page and writes all rows to {@code <data.dir>/results/<runId>.csv}.
 */
public final class AthenaQueryEngine implements QueryEngine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AthenaQueryEngine.class);

    private static final Set<QueryExecutionState> TERMINAL =
            Set.of(QueryExecutionState.SUCCEEDED, QueryExecutionState.FAILED, QueryExecutionState.CANCELLED);

    private final CamelContext context;
    private final ProducerTemplate template;
    private final AthenaConfig config;
    private final Path resultsDir;
    private final String endpointUri;
    private final String startUri;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** @param resultsDir where {@code <runId>.csv} goes: {@code pipeline.query.resultsDir}, as for DuckDB */
    public AthenaQueryEngine(CamelContext context, AthenaConfig config, Path resultsDir) {
        this.context = context;
        this.template = context.createProducerTemplate();
        this.config = config;
        this.resultsDir = resultsDir;
        this.endpointUri = endpointUri(config);
        this.startUri = endpointUri + "&waitTimeout=RAW(0)&maxAttempts=RAW(1)"; // the wait is this class's own
    }

    /** Runs the SQL; the results file is named after the query execution id. */
    @Override
    public QueryResult query(String sql) throws Exception {
        return query(sql, null);
    }

    /** Runs the SQL and writes all rows to {@code <data.dir>/results/<runId>.csv}. */
    public QueryResult query(String sql, String runId) throws Exception {
        String qualified = AthenaSql.qualify(sql, config.qualifiedTable(), config.database(), config.table());
        String executionId = run(qualified);
        Path file = resultsDir.resolve((runId == null ? executionId : runId) + ".csv");
        QueryResult result = readResults(executionId, file);
        LOG.info("Athena query {} returned {} rows, written to {}", executionId, result.rowCount(), file);
        return result;
    }

    @Override
    public long countRows() throws Exception {
        String executionId = run("SELECT COUNT(*) FROM " + config.qualifiedTable());
        List<List<String>> rows = new ArrayList<>();
        pages(executionId, new ResultHandler() {
            @Override
            public void columns(List<String> names) {
            }

            @Override
            public void row(List<String> values) {
                rows.add(values);
            }
        });
        if (rows.size() != 1 || rows.get(0).isEmpty() || rows.get(0).get(0) == null) {
            throw new AthenaQueryException("Athena query " + executionId + " (COUNT(*) of " + config.qualifiedTable()
                                           + ") returned " + rows.size() + " rows, expected one");
        }
        return Long.parseLong(rows.get(0).get(0).trim());
    }

    /**
     * Starts the query through the component and waits for it here, so that a query still running when the wait
     * times out or the app stops is ended with StopQueryExecution instead of left to run (and bill); a failed query
     * is started again as {@code pipeline.athena.retry} and {@code maxAttempts} say. Throws unless it SUCCEEDED.
     */
    private String run(String sql) throws InterruptedException {
        LOG.info("Athena query in {} ({}): {}", config.workgroup(), config.catalog(), sql);
        long begun = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            String executionId = start(sql);
            QueryExecutionStatus status;
            running.add(executionId);
            try {
                status = await(executionId);
            } finally {
                running.remove(executionId);
            }
            LOG.info("Athena query {} {} after {} s{}", executionId, status.state(),
                    Duration.ofNanos(System.nanoTime() - begun).toSeconds(), consoleUrl(config.region(), executionId));
            if (status.state() == QueryExecutionState.SUCCEEDED) {
                return executionId;
            }
            String reason = status.stateChangeReason() == null ? "(no reason given)" : status.stateChangeReason();
            if (status.state() == QueryExecutionState.FAILED && attempt < config.maxAttempts() && retries(reason)) {
                LOG.warn("Athena query {} FAILED (attempt {} of {}), starting it again: {}", executionId, attempt,
                         config.maxAttempts(), reason);
                continue;
            }
            StringBuilder message = new StringBuilder("Athena query ").append(executionId).append(' ')
                    .append(status.state()).append(": ").append(reason);
            if (status.athenaError() != null && status.athenaError().errorMessage() != null) {
                message.append(" (").append(status.athenaError().errorMessage()).append(')');
            }
            throw new AthenaQueryException(message.toString());
        }
    }

    private String start(String sql) {
        Exchange exchange = template.request(startUri, e -> {
            e.getMessage().setHeader(Athena2Constants.OPERATION, Athena2Operations.startQueryExecution);
            e.getMessage().setHeader(Athena2Constants.QUERY_STRING, sql);
        });
        if (exchange.getException() != null) {
            throw new AthenaQueryException("Athena query could not be started: " + exchange.getException().getMessage(),
                                           exchange.getException());
        }
        return exchange.getMessage().getHeader(Athena2Constants.QUERY_EXECUTION_ID, String.class);
    }

    /** Polls until the query ends; past the timeout, or when the app stops, stops it and throws. */
    private QueryExecutionStatus await(String executionId) throws InterruptedException {
        long deadline = System.nanoTime() + config.waitTimeout().toNanos();
        while (true) {
            QueryExecutionStatus status = status(executionId);
            if (TERMINAL.contains(status.state()) && !(stopping && status.state() == QueryExecutionState.CANCELLED)) {
                return status;
            }
            if (stopping) {
                if (!TERMINAL.contains(status.state())) {
                    stop(executionId);
                }
                throw new AthenaQueryException("Athena query " + executionId + " stopped with StopQueryExecution:"
                                               + " the app is stopping (last state " + status.state() + ")");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                stop(executionId);
                throw new AthenaQueryException("Athena query " + executionId + " did not finish within"
                                               + " pipeline.athena.waitTimeout=" + config.waitTimeout()
                                               + " (last state " + status.state() + "); stopped with"
                                               + " StopQueryExecution");
            }
            try {
                Thread.sleep(Math.min(config.pollInterval().toMillis(), left / 1_000_000 + 1));
            } catch (InterruptedException e) {
                stop(executionId);
                throw e;
            }
        }
    }

    private QueryExecutionStatus status(String executionId) {
        Exchange exchange = template.request(endpointUri, e -> {
            e.getMessage().setHeader(Athena2Constants.OPERATION, Athena2Operations.getQueryExecution);
            e.getMessage().setHeader(Athena2Constants.QUERY_EXECUTION_ID, executionId);
        });
        if (exchange.getException() != null) {
            throw new AthenaQueryException("Asking Athena about query " + executionId + " failed: "
                                           + exchange.getException().getMessage(), exchange.getException());
        }
        return exchange.getMessage().getBody(GetQueryExecutionResponse.class).queryExecution().status();
    }

    /** The component has no StopQueryExecution operation: its endpoint's client sends it. */
    private void stop(String executionId) {
        try {
            context.getEndpoint(endpointUri, Athena2Endpoint.class).getAthenaClient()
                    .stopQueryExecution(b -> b.queryExecutionId(executionId));
            LOG.warn("Stopped Athena query {} (StopQueryExecution)", executionId);
        } catch (RuntimeException e) {
            LOG.error("Could not stop Athena query {}; stop it in the Athena console: {}", executionId,
                      e.getMessage());
        }
    }

    /** The app is stopping: every query still running is stopped, and no wait goes on. */
    @Override
    public void close() {
        stopping = true;
        for (String executionId : List.copyOf(running)) {
            stop(executionId);
        }
    }

    /** {@code pipeline.athena.retry}, as the component reads its own {@code retry} option. */
    private boolean retries(String reason) {
        Set<String> retry = Set.of(config.retry().replace(" ", "").split(","));
        return retry.contains("always")
               || (retry.contains("retryable") || retry.contains("exhausted"))
                  && reason.contains("exhausted resources at this scale factor")
               || (retry.contains("retryable") || retry.contains("generic"))
                  && reason.contains("GENERIC_INTERNAL_ERROR");
    }

    /**
     * The query's page in the AWS console (its history, plan and statistics); empty when the region is unknown. The
     * region is in the host name only: a query string would be masked in the log as a possible secret.
     */
    static String consoleUrl(Optional<String> queryRegion, String executionId) {
        return queryRegion.map(region -> ": https://" + region + ".console.aws.amazon.com/athena/home"
                + "#/query-editor/history/" + executionId).orElse("");
    }

    private QueryResult readResults(String executionId, Path file) throws IOException {
        try (ResultsWriter writer = new ResultsWriter(file, config.printRows())) {
            pages(executionId, writer);
            return new QueryResult(writer.columns(), writer.rowCount(), file, writer.printedTable());
        }
    }

    /** Reads every page with nextToken; drops the header row Athena puts first on the first page. */
    private void pages(String executionId, ResultHandler handler) throws IOException {
        List<String> columns = null;
        String nextToken = null;
        int page = 0;
        do {
            String token = nextToken;
            Exchange exchange = template.request(endpointUri, e -> {
                e.getMessage().setHeader(Athena2Constants.OPERATION, Athena2Operations.getQueryResults);
                e.getMessage().setHeader(Athena2Constants.OUTPUT_TYPE, Athena2OutputType.SelectList);
                e.getMessage().setHeader(Athena2Constants.QUERY_EXECUTION_ID, executionId);
                e.getMessage().setHeader(Athena2Constants.MAX_RESULTS, config.pageSize());
                if (token != null) {
                    e.getMessage().setHeader(Athena2Constants.NEXT_TOKEN, token);
                }
            });
            if (exchange.getException() != null) {
                throw new AthenaQueryException("Reading the results of Athena query " + executionId + " failed: "
                                               + exchange.getException().getMessage());
            }
            GetQueryResultsResponse response = exchange.getMessage().getBody(GetQueryResultsResponse.class);
            List<Row> pageRows = response.resultSet().rows();
            int first = 0;
            if (columns == null) {
                columns = response.resultSet().resultSetMetadata() == null ? List.of()
                        : response.resultSet().resultSetMetadata().columnInfo().stream().map(ColumnInfo::name)
                                .collect(Collectors.toList());
                if (!pageRows.isEmpty() && values(pageRows.get(0)).equals(columns)) {
                    first = 1;
                }
                handler.columns(columns);
            }
            for (int i = first; i < pageRows.size(); i++) {
                handler.row(values(pageRows.get(i)));
            }
            nextToken = response.nextToken();
            page++;
        } while (nextToken != null && !nextToken.isEmpty());
        LOG.debug("Athena query {}: read {} result pages", executionId, page);
    }

    private static List<String> values(Row row) {
        return row.data().stream().map(Datum::varCharValue).collect(Collectors.toCollection(ArrayList::new));
    }

    static String endpointUri(AthenaConfig config) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("useDefaultCredentialsProvider", true);
        config.region().ifPresent(r -> options.put("region", r));
        config.endpoint().ifPresent(e -> {
            options.put("overrideEndpoint", true);
            options.put("uriEndpointOverride", e.toString());
        });
        options.put("workGroup", config.workgroup());
        options.put("outputLocation", config.outputLocation());
        options.put("database", config.database());
        return "aws2-athena:pipeline?" + options.entrySet().stream()
                .map(e -> e.getKey() + "=RAW(" + e.getValue() + ")")
                .collect(Collectors.joining("&"));
    }
}
