package athena;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import aws.AwsWait;
import aws.StopSignal;
import config.AthenaConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.endpoint.dsl.Athena2EndpointBuilderFactory.Athena2EndpointBuilder;
import org.apache.camel.component.aws2.athena.Athena2Constants;
import org.apache.camel.component.aws2.athena.Athena2Operations;
import org.apache.camel.component.aws2.athena.Athena2OutputType;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.GracefulStop;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatus;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionResponse;

import static org.apache.camel.builder.endpoint.StaticEndpointBuilders.aws2Athena;

/**
 * Every Athena call of the app's queries, shared by all runs and datasets: each made through camel-aws2-athena's
 * producer (StartQueryExecution, GetQueryExecution, GetQueryResults), the query's wait on the app's one wait helper
 * ({@link AwsWait}: {@code pipeline.athena.pollInterval}, {@code pipeline.athena.waitTimeout}, each state change logged
 * with the elapsed time and the console URL), another attempt after a FAILED one as {@code pipeline.athena.retry}
 * allows, and StopQueryExecution for a query whose wait gave up. The app's stop lets the queries of the runs in flight
 * go on; when its time runs out ({@link #stopQueries()}) it stops every query still running, and the waits at once.
 */
public final class AthenaQueries extends ServiceSupport {

    /** The shared bean and the SDK client the component's endpoints use: names in the registry. */
    public static final String NAME = "athenaQueries";
    public static final String CLIENT = "athenaClient";

    private static final Logger LOG = LoggerFactory.getLogger(AthenaQueries.class);
    private static final Set<QueryExecutionState> TERMINAL =
            Set.of(QueryExecutionState.SUCCEEDED, QueryExecutionState.FAILED, QueryExecutionState.CANCELLED);
    /** How long the app's stop waits for a StartQueryExecution still in flight, so that its query can be stopped. */
    private static final Duration START_IN_FLIGHT_WAIT = Duration.ofSeconds(10);

    private final CamelContext context;
    private final AthenaClient client;
    private final AthenaConfig config;
    private volatile ProducerTemplate producer;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** StartQueryExecution calls sent and not yet returned; guarded by {@link #running}. */
    private int starting;
    private final StopSignal stopping = new StopSignal();

    private AthenaQueries(CamelContext context, AthenaClient client, AthenaConfig config) {
        this.context = context;
        this.client = client;
        this.config = config;
    }

    @Override
    protected void doStart() {
        producer = context.createProducerTemplate();
    }

    /**
     * The queries of a context, made once for all datasets (their own values travel with each query): the SDK client
     * bound for the component's endpoints ({@code #athenaClient}), and a service of the context. The context's stop
     * lets a query of a run in flight finish, and stops it when the stop's time runs out ({@link GracefulStop}): a
     * query is not left to run, and bill, after the app is gone, nor does the stop wait past its timeout for it.
     */
    public static AthenaQueries bind(CamelContext context, AthenaConfig config) {
        AthenaQueries bound = context.getRegistry().lookupByNameAndType(NAME, AthenaQueries.class);
        if (bound != null) {
            return bound;
        }
        var builder = AthenaClient.builder();
        config.region().map(Region::of).ifPresent(builder::region);
        config.endpoint().ifPresent(builder::endpointOverride);
        Starts starts = new Starts();
        builder.overrideConfiguration(c -> c.addExecutionInterceptor(starts));
        AthenaQueries queries = new AthenaQueries(context, builder.build(), config);
        starts.queries = queries;
        context.getRegistry().bind(CLIENT, queries.client);
        context.getRegistry().bind(NAME, queries);
        GracefulStop.of(context).whenTimeRunsOut(queries::stopQueries);
        try {
            context.addService(queries, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("could not register the Athena queries with the context", e);
        }
        return queries;
    }

    /**
     * Runs {@code sql} until it SUCCEEDED, again after a FAILED attempt as {@code pipeline.athena.retry} and
     * {@code pipeline.athena.maxAttempts} allow, and returns its execution id; otherwise throws, naming the query,
     * its state, Athena's reason and its console page.
     */
    String run(String sql, String database, String outputLocation) throws Exception {
        LOG.info("Athena query in {}: {}", config.workgroup(), sql);
        long begun = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            if (stopping.isStopped()) {
                throw new AthenaQueryException("Athena query not started: the app is stopping");
            }
            String id = start(sql, database, outputLocation);
            QueryExecutionStatus status;
            try {
                status = await(id, begun);
            } catch (AthenaQueryException e) {
                throw e;
            } catch (Exception e) {
                throw failed(id, e);
            }
            running.remove(id);
            if (status.state() == QueryExecutionState.SUCCEEDED) {
                return id;
            }
            if (status.state() != QueryExecutionState.FAILED || attempt >= config.maxAttempts()
                || !retries(reason(status))) {
                throw ended(id, status);
            }
            LOG.warn("Athena query {} FAILED (attempt {} of {}), starting it again: {}", id, attempt,
                     config.maxAttempts(), reason(status));
        }
    }

    /** Hands every row of the query's results to {@code handler}, in pages of {@code pipeline.athena.pageSize}. */
    int readResults(String id, ResultHandler handler) throws Exception {
        int pages = 0;
        String nextToken = null;
        try {
            do {
                String token = nextToken;
                Exchange done = call(aws2Athena("query").operation(Athena2Operations.getQueryResults)
                        .outputType(Athena2OutputType.SelectList).maxResults(config.pageSize()), exchange -> {
                            exchange.getMessage().setHeader(Athena2Constants.QUERY_EXECUTION_ID, id);
                            exchange.getMessage().setHeader(Athena2Constants.NEXT_TOKEN, token);
                        });
                page(done.getMessage().getMandatoryBody(GetQueryResultsResponse.class), pages == 0, handler);
                pages++;
                nextToken = done.getMessage().getHeader(Athena2Constants.NEXT_TOKEN, String.class);
            } while (nextToken != null && !nextToken.isEmpty());
        } catch (AthenaQueryException e) {
            throw e;
        } catch (Exception e) {
            throw failed(id, e);
        }
        LOG.debug("Athena query {}: read {} result pages", id, pages);
        return pages;
    }

    /** StartQueryExecution, with the component's own wait off (waitTimeout 0): {@link #await} can stop a query. */
    private String start(String sql, String database, String outputLocation) throws AthenaQueryException {
        try {
            Exchange started = call(aws2Athena("query").operation(Athena2Operations.startQueryExecution)
                    .workGroup(config.workgroup()).waitTimeout(0).maxAttempts(1), exchange -> {
                        exchange.getMessage().setBody(sql);
                        exchange.getMessage().setHeader(Athena2Constants.DATABASE, database);
                        exchange.getMessage().setHeader(Athena2Constants.OUTPUT_LOCATION, outputLocation);
                    });
            return started.getMessage().getHeader(Athena2Constants.QUERY_EXECUTION_ID, String.class);
        } catch (Exception e) {
            throw new AthenaQueryException("Athena query could not be started: " + e.getMessage(), e);
        }
    }

    /** GetQueryExecution until the query ends; a wait that gives up stops the query with StopQueryExecution. */
    private QueryExecutionStatus await(String id, long begun) throws Exception {
        String url = consoleUrl(config.region(), id);
        return AwsWait.polling("Athena query " + id, () -> call(aws2Athena("query")
                        .operation(Athena2Operations.getQueryExecution), exchange -> exchange.getMessage()
                        .setHeader(Athena2Constants.QUERY_EXECUTION_ID, id))
                        .getMessage().getMandatoryBody(GetQueryExecutionResponse.class).queryExecution().status())
                .every(config.pollInterval())
                .atMost(config.waitTimeout(), last -> new AthenaQueryException("Athena query " + id
                        + " did not finish within pipeline.athena.waitTimeout=" + config.waitTimeout() + " (last state "
                        + stateOf(last) + "); stopped with StopQueryExecution" + url))
                .until(this::ended)
                .logging(status -> "Athena query " + id + " " + status.state(), url)
                .since(begun)
                .stoppedBy(stopping, last -> new AthenaQueryException("Athena query " + id
                        + " stopped with StopQueryExecution: the app is stopping (last state " + stateOf(last) + ")"
                        + url))
                .cancelling(() -> stop(id))
                .await();
    }

    /** One call of the component's producer; the client is the registry's {@code #athenaClient}. */
    private Exchange call(Athena2EndpointBuilder endpoint, Processor request) throws Exception {
        endpoint.advanced().amazonAthenaClient("#" + CLIENT);
        Exchange done = producer.send(endpoint.resolve(context), request);
        if (done.getException() != null) {
            throw done.getException();
        }
        return done;
    }

    /** A call that failed on the way (the SDK, the results file): the message names the query. */
    AthenaQueryException failed(String id, Exception failure) {
        String url = consoleUrl(config.region(), id);
        if (stopping.isStopped()) {
            // the client was closed: the app's stop ends the query
            return new AthenaQueryException("Athena query " + id + " stopped with StopQueryExecution: the app is"
                                            + " stopping (" + failure.getMessage() + ")" + url, failure);
        }
        return new AthenaQueryException("Athena query " + id + " failed: " + failure.getMessage() + url, failure);
    }

    /** The query ended otherwise than SUCCEEDED: its state, Athena's reason and its console page. */
    private AthenaQueryException ended(String id, QueryExecutionStatus status) {
        StringBuilder message = new StringBuilder("Athena query ").append(id).append(' ')
                .append(status.state()).append(": ").append(reason(status));
        if (status.athenaError() != null && status.athenaError().errorMessage() != null) {
            message.append(" (").append(status.athenaError().errorMessage()).append(')');
        }
        return new AthenaQueryException(message.append(consoleUrl(config.region(), id)).toString());
    }

    /** A page of results to the handler; the first page's first row is the header, not a row. */
    private static void page(GetQueryResultsResponse response, boolean first, ResultHandler handler)
            throws IOException {
        List<Row> rows = response.resultSet().rows();
        int from = 0;
        if (first) {
            List<String> columns = response.resultSet().resultSetMetadata() == null ? List.of()
                    : response.resultSet().resultSetMetadata().columnInfo().stream().map(ColumnInfo::name)
                            .collect(Collectors.toList());
            if (!rows.isEmpty() && values(rows.get(0)).equals(columns)) {
                from = 1;
            }
            handler.columns(columns);
        }
        for (int i = from; i < rows.size(); i++) {
            handler.row(values(rows.get(i)));
        }
    }

    private static List<String> values(Row row) {
        return row.data().stream().map(Datum::varCharValue).collect(Collectors.toCollection(ArrayList::new));
    }

    /**
     * The app is stopping: every query still running is stopped, and no wait goes on; a query whose start is in
     * flight is stopped as its answer comes. Called when the context's stop is about to pass its timeout with runs
     * still in flight, and again when this service stops.
     * The stop may come on Camel's shutdown task, interrupted when the graceful shutdown times out: the calls here run
     * with the interrupt put aside, or the SDK would refuse them and leave the queries running.
     */
    void stopQueries() {
        boolean interrupted = Thread.interrupted();
        try {
            synchronized (running) {
                stopping.stop();
                for (String executionId : List.copyOf(running)) {
                    stop(executionId);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * After {@link #stopQueries()}: a StartQueryExecution still in flight is waited for (up to 10 s), so that the
     * query it starts is stopped too before the client closes.
     */
    @Override
    protected void doStop() {
        stopQueries();
        boolean interrupted = Thread.interrupted();
        try {
            synchronized (running) {
                awaitStartsInFlight();
                client.close();
                if (producer != null) {
                    producer.stop();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Holds {@link #running}; waits (not interruptibly) until no start is in flight or 10 s pass. */
    private void awaitStartsInFlight() {
        if (starting == 0) {
            return;
        }
        LOG.info("Waiting up to {} s for {} Athena query start(s) in flight, to stop them",
                 START_IN_FLIGHT_WAIT.toSeconds(), starting);
        boolean interrupted = false;
        long deadline = System.nanoTime() + START_IN_FLIGHT_WAIT.toNanos();
        for (long left = START_IN_FLIGHT_WAIT.toNanos(); starting > 0 && left > 0;
             left = deadline - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.timedWait(running, left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (starting > 0) {
            LOG.error("{} Athena query start(s) still in flight after {} s: check the Athena console for queries left"
                      + " running", starting, START_IN_FLIGHT_WAIT.toSeconds());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * StopQueryExecution, once per query: a wait that gave up and the app's stop may both get here. Holds
     * {@link #running}, so that the app's stop closes the client only once the call is made.
     */
    private void stop(String executionId) {
        synchronized (running) {
            if (executionId == null || !running.remove(executionId)) {
                return;
            }
            try {
                client.stopQueryExecution(b -> b.queryExecutionId(executionId));
                LOG.warn("Stopped Athena query {} (StopQueryExecution){}", executionId,
                         consoleUrl(config.region(), executionId));
            } catch (RuntimeException e) {
                LOG.error("Could not stop Athena query {}; stop it in the Athena console{}: {}", executionId,
                          consoleUrl(config.region(), executionId), e.getMessage());
            }
        }
    }

    /** Seen to end; a query CANCELLED because the app is stopping did not end by itself. */
    private boolean ended(QueryExecutionStatus status) {
        return TERMINAL.contains(status.state())
               && !(stopping.isStopped() && status.state() == QueryExecutionState.CANCELLED);
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

    private static String reason(QueryExecutionStatus status) {
        return status.stateChangeReason() == null ? "(no reason given)" : status.stateChangeReason();
    }

    private static String stateOf(QueryExecutionStatus status) {
        return status == null ? "unknown" : status.state().toString();
    }

    /**
     * The query's page in the AWS console (its history, plan and statistics); empty when the region is unknown. The
     * region is in the host name only: a query string would be masked in the log as a possible secret.
     */
    static String consoleUrl(Optional<String> queryRegion, String executionId) {
        return queryRegion.map(region -> ": https://" + region + ".console.aws.amazon.com/athena/home"
                + "#/query-editor/history/" + executionId).orElse("");
    }

    /**
     * Sees every StartQueryExecution on the client: a start is in flight from the request to its answer, and its
     * query is running from the answer on. With the app's stop: either the stop sees the query running and stops
     * it, or this sees the stop and stops it, the client still open (the stop waits for starts in flight).
     */
    private static final class Starts implements ExecutionInterceptor {
        private AthenaQueries queries;

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof StartQueryExecutionRequest) {
                synchronized (queries.running) {
                    queries.starting++;
                }
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof StartQueryExecutionResponse started) {
                synchronized (queries.running) {
                    queries.starting--;
                    queries.running.add(started.queryExecutionId());
                    if (queries.stopping.isStopped()) {
                        queries.stop(started.queryExecutionId());
                    }
                    queries.running.notifyAll();
                }
            }
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof StartQueryExecutionRequest) {
                synchronized (queries.running) {
                    queries.starting--;
                    queries.running.notifyAll();
                }
            }
        }
    }
}
