package athena;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import config.AthenaConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.component.aws2.athena.Athena2Constants;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatus;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionResponse;

/**
 * The steps of the Athena routes around the component's calls: the attempts of one query, its wait (poll interval,
 * {@code pipeline.athena.waitTimeout}, each state change logged with the elapsed time and the console URL) and
 * StopQueryExecution for a query that did not end. Each query's state travels on its exchange; what is shared is the
 * set of queries still running, which {@link #stopQueries() stopping the app} stops.
 */
public final class AthenaQueries extends ServiceSupport {

    /** The bean the routes call, the SDK client their endpoints use, the results bean: names in the registry. */
    public static final String NAME = "athenaQueries";
    public static final String CLIENT = "athenaClient";
    public static final String RESULTS = "athenaResults";
    /** Exchange property: the {@link Execution} of the exchange's query. */
    static final String EXECUTION = "athenaExecution";

    private static final Logger LOG = LoggerFactory.getLogger(AthenaQueries.class);
    private static final Set<QueryExecutionState> TERMINAL =
            Set.of(QueryExecutionState.SUCCEEDED, QueryExecutionState.FAILED, QueryExecutionState.CANCELLED);
    /** How long the app's stop waits for a StartQueryExecution still in flight, so that its query can be stopped. */
    private static final Duration START_IN_FLIGHT_WAIT = Duration.ofSeconds(10);

    private final AthenaClient client;
    private final AthenaConfig config;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** StartQueryExecution calls sent and not yet returned; guarded by {@link #running}. */
    private int starting;
    private volatile boolean stopping;
    private final CountDownLatch appStops = new CountDownLatch(1);

    AthenaQueries(AthenaClient client, AthenaConfig config) {
        this.client = client;
        this.config = config;
    }

    /**
     * Binds the SDK client ({@code #athenaClient}) and the beans of the Athena routes, once for all datasets (their
     * own values travel with each query), and has the context stop every query still running as its stop begins: a
     * query is not left to run, and bill, after the app is gone, nor does the stop wait for it.
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
        AthenaQueries queries = new AthenaQueries(builder.build(), config);
        starts.queries = queries;
        context.getRegistry().bind(CLIENT, queries.client);
        context.getRegistry().bind(NAME, queries);
        context.getRegistry().bind(RESULTS, new AthenaResults());
        context.addLifecycleStrategy(LifecycleStrategySupport.adapt(
                LifecycleStrategySupport.onCamelContextStopping(stopping -> queries.stopQueries())));
        try {
            context.addService(queries, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("could not register the Athena queries with the context", e);
        }
        return queries;
    }

    public AthenaConfig config() {
        return config;
    }

    /** The app is stopping: queries still running have been stopped, and no wait goes on. */
    boolean appStopping() {
        return stopping;
    }

    /** The body is the SQL as Athena runs it: it is logged, kept for every attempt, and the clock starts. */
    public void begin(Exchange exchange) throws InvalidPayloadException {
        String sql = exchange.getMessage().getMandatoryBody(String.class);
        String outputLocation = exchange.getMessage().getHeader(Athena2Constants.OUTPUT_LOCATION, String.class);
        LOG.info("Athena query in {}: {}", config.workgroup(), sql);
        exchange.setProperty(EXECUTION, new Execution(sql, outputLocation, System.nanoTime()));
    }

    /** The first attempt, and another after a FAILED one while {@code pipeline.athena.retry} and maxAttempts allow. */
    public boolean startsAgain(Exchange exchange) {
        Execution query = execution(exchange);
        if (query.attempts == 0) {
            return true;
        }
        QueryExecutionStatus status = query.status;
        if (status == null || status.state() != QueryExecutionState.FAILED || query.attempts >= config.maxAttempts()
            || !retries(reason(status))) {
            return false;
        }
        LOG.warn("Athena query {} FAILED (attempt {} of {}), starting it again: {}", query.id, query.attempts,
                 config.maxAttempts(), reason(status));
        return true;
    }

    /** Before StartQueryExecution: the SQL in the body again (the last answer is there), the run's output location. */
    public void attempt(Exchange exchange) {
        Execution query = execution(exchange);
        if (stopping) {
            throw new AthenaQueryException("Athena query not started: the app is stopping");
        }
        query.attempts++;
        query.id = null;
        query.status = null;
        exchange.getMessage().setBody(query.sql);
        // the component sets this header to the last query's results file; the next attempt writes beside it
        exchange.getMessage().setHeader(Athena2Constants.OUTPUT_LOCATION, query.outputLocation);
    }

    /** After StartQueryExecution: the query is running (the client's interceptor saw it start) until it ends. */
    public void started(Exchange exchange) {
        Execution query = execution(exchange);
        query.id = exchange.getMessage().getHeader(Athena2Constants.QUERY_EXECUTION_ID, String.class);
        query.deadline = System.nanoTime() + config.waitTimeout().toNanos();
    }

    /** Polls again until the query ends, {@code pipeline.athena.waitTimeout} passes or the app stops. */
    public boolean waiting(Exchange exchange) {
        Execution query = execution(exchange);
        return !ended(query) && !stopping && System.nanoTime() < query.deadline;
    }

    /**
     * Before each GetQueryExecution but the first: {@code pipeline.athena.pollInterval}, less when the deadline is
     * nearer, and no longer once the app stops.
     */
    public void pause(Exchange exchange) throws InterruptedException {
        Execution query = execution(exchange);
        if (query.status == null) {
            return;
        }
        long left = query.deadline - System.nanoTime();
        appStops.await(Math.max(0, Math.min(config.pollInterval().toNanos(), left)), TimeUnit.NANOSECONDS);
    }

    /** After GetQueryExecution: keeps the status and logs each state change with the elapsed time. */
    public void polled(Exchange exchange) throws InvalidPayloadException {
        Execution query = execution(exchange);
        QueryExecutionStatus status = exchange.getMessage().getMandatoryBody(GetQueryExecutionResponse.class)
                .queryExecution().status();
        if (query.status == null || query.status.state() != status.state()) {
            LOG.info("Athena query {} {} after {} s{}", query.id, status.state(), query.elapsedSeconds(),
                     consoleUrl(config.region(), query.id));
        }
        query.status = status;
    }

    /** Whether the wait gave up (timeout, the app stopping, a failed poll) on a query still running. */
    public boolean unfinished(Exchange exchange) {
        Execution query = execution(exchange);
        return query.id != null && running.contains(query.id) && !ended(query);
    }

    /** StopQueryExecution through {@code #athenaClient}: the component has no such operation. */
    public void stopQueryExecution(Exchange exchange) {
        stop(execution(exchange).id);
    }

    /** After the wait: the query ended (it is no longer running), or the wait gave up, which throws. */
    public void waited(Exchange exchange) {
        Execution query = execution(exchange);
        if (ended(query)) {
            running.remove(query.id);
            return;
        }
        String lastState = query.status == null ? "unknown" : query.status.state().toString();
        String url = consoleUrl(config.region(), query.id);
        if (stopping) {
            throw new AthenaQueryException("Athena query " + query.id + " stopped with StopQueryExecution: the app is"
                                           + " stopping (last state " + lastState + ")" + url);
        }
        throw new AthenaQueryException("Athena query " + query.id + " did not finish within"
                                       + " pipeline.athena.waitTimeout=" + config.waitTimeout() + " (last state "
                                       + lastState + "); stopped with StopQueryExecution" + url);
    }

    /** Throws, naming the query, its state, Athena's reason and its console page, unless it SUCCEEDED. */
    public void succeeded(Exchange exchange) {
        Execution query = execution(exchange);
        QueryExecutionStatus status = query.status;
        if (status.state() == QueryExecutionState.SUCCEEDED) {
            return;
        }
        StringBuilder message = new StringBuilder("Athena query ").append(query.id).append(' ')
                .append(status.state()).append(": ").append(reason(status));
        if (status.athenaError() != null && status.athenaError().errorMessage() != null) {
            message.append(" (").append(status.athenaError().errorMessage()).append(')');
        }
        throw new AthenaQueryException(message.append(consoleUrl(config.region(), query.id)).toString());
    }

    /**
     * The app is stopping: every query still running is stopped, and no wait goes on; a query whose start is in
     * flight is stopped as its answer comes. Called as the context's stop begins, and again when this service stops.
     */
    void stopQueries() {
        boolean interrupted = Thread.interrupted();
        try {
            synchronized (running) {
                stopping = true;
                appStops.countDown();
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
     * query it starts is stopped too before the client closes. The stop may come on Camel's shutdown task, interrupted
     * when the graceful shutdown times out: the calls here run with the interrupt put aside, or the SDK would refuse
     * them and leave the queries running.
     */
    @Override
    protected void doStop() {
        stopQueries();
        boolean interrupted = Thread.interrupted();
        try {
            synchronized (running) {
                awaitStartsInFlight();
                client.close();
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

    /** Sends StopQueryExecution once per query: the wait and the app's stop may both get here. */
    private void stop(String executionId) {
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

    /** Seen to end; a query CANCELLED because the app is stopping did not end by itself. */
    private boolean ended(Execution query) {
        return query.status != null && TERMINAL.contains(query.status.state())
               && !(stopping && query.status.state() == QueryExecutionState.CANCELLED);
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

    static Execution execution(Exchange exchange) {
        return exchange.getProperty(EXECUTION, Execution.class);
    }

    /**
     * The query's page in the AWS console (its history, plan and statistics); empty when the region is unknown. The
     * region is in the host name only: a query string would be masked in the log as a possible secret.
     */
    static String consoleUrl(Optional<String> queryRegion, String executionId) {
        return queryRegion.map(region -> ": https://" + region + ".console.aws.amazon.com/athena/home"
                + "#/query-editor/history/" + executionId).orElse("");
    }

    /** One query of one exchange, over its attempts. */
    static final class Execution {

        final String sql;
        final String outputLocation;
        final long begun;
        int attempts;
        String id;
        long deadline;
        QueryExecutionStatus status;

        Execution(String sql, String outputLocation, long begun) {
            this.sql = sql;
            this.outputLocation = outputLocation;
            this.begun = begun;
        }

        long elapsedSeconds() {
            return Duration.ofNanos(System.nanoTime() - begun).toSeconds();
        }
    }

    /**
     * Sees every StartQueryExecution on the client, whichever route sent it: a start is in flight from the request
     * to its answer, and its query is running from the answer on. With the app's stop: either the stop sees the query
     * running and stops it, or this sees the stop and stops it, the client still open (the stop waits for starts in
     * flight).
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
                    if (queries.stopping) {
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
