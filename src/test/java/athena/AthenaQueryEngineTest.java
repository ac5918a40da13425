package athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import config.AthenaConfig;
import config.Settings;
import emr.MotoHarness;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import query.QueryResult;
import org.awaitility.Awaitility;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;

/**
 * Athena through camel-aws2-athena's producer on moto: the S3 Tables table is qualified, every page
 * is read, failures and timeouts are clear, and a query still running at its timeout, or when the app's stop has
 * waited for it as long as it may, is ended with StopQueryExecution.
 */
@ExtendWith(MotoHarness.class)
class AthenaQueryEngineTest {

    static final String QUALIFIED = "\"s3tablescatalog/ecommerce-lakehouse\".\"data\".\"products\"";

    @TempDir
    Path dir;

    private MotoHarness moto;
    private DefaultCamelContext camel;
    private AthenaClient athena;

    @BeforeEach
    void setUp(MotoHarness moto) {
        this.moto = moto;
        moto.reset();
        moto.s3().createBucket(b -> b.bucket("athena-results"));
        athena = moto.athena();
        camel = new DefaultCamelContext();
    }

    @AfterEach
    void tearDown() {
        camel.stop();
    }

    /** The engine of run {@code runId}: the app's Athena queries, in a context of their own. */
    private AthenaQueryEngine engine(Map<String, String> overrides, String runId) throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("pipeline.athena.endpoint", moto.endpoint().toString());
        p.put("pipeline.athena.region", MotoHarness.REGION);
        p.put("pipeline.athena.outputLocation", "s3://athena-results/queries");
        p.put("pipeline.athena.pollInterval", "100ms");
        p.put("pipeline.athena.waitTimeout", "10s");
        p.put("pipeline.s3tables.tableBucketArn", "arn:aws:s3tables:us-east-1:123456789012:bucket/ecommerce-lakehouse");
        p.putAll(overrides);
        p.putIfAbsent("pipeline.athena.workgroup", "primary");
        Settings settings = new Settings(k -> Optional.ofNullable(p.get(k)));
        AthenaConfig config = AthenaConfig.from(settings);
        settings.validate();
        Properties properties = new Properties();
        properties.putAll(p);
        camel.getPropertiesComponent().setInitialProperties(properties);
        AthenaQueries queries = AthenaQueries.bind(camel, config);
        camel.start();
        return new AthenaQueryEngine(queries, config, Optional.of(dir.resolve("results")), runId);
    }

    private AthenaQueryEngine engine(Map<String, String> overrides) throws Exception {
        return engine(overrides, null);
    }

    @Test
    void readsEveryPageIntoTheResultsFile() throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i <= 2345; i++) {
            rows.add(List.of(String.valueOf(i), "Product, \"" + i + "\"", i % 7 == 0 ? "" : "Electronics"));
        }
        rows.set(4, java.util.Arrays.asList("5", null, "Toys"));
        moto.queueAthenaResult(List.of("product_id", "product_name", "product_category"), rows);

        QueryResult result = engine(Map.of("pipeline.query.printRows", "5"), "run-42")
                .query("SELECT * FROM \"data\".\"products\" ORDER BY product_id");

        assertEquals(List.of("product_id", "product_name", "product_category"), result.columns());
        assertEquals(2345, result.rowCount());
        assertEquals(dir.resolve("results").resolve("run-42.csv"), result.resultsFile());
        List<String> lines = Files.readAllLines(result.resultsFile());
        assertEquals(2346, lines.size(), "header plus every row of three pages");
        assertEquals("product_id,product_name,product_category", lines.get(0));
        assertEquals("1,\"Product, \"\"1\"\"\",Electronics", lines.get(1));
        assertEquals("5,,Toys", lines.get(5));
        assertEquals("2345,\"Product, \"\"2345\"\"\",\"\"", lines.get(2345));
        assertTrue(result.printedTable().startsWith("product_id | product_name | product_category\n"),
                   result.printedTable());
        assertTrue(result.printedTable().contains("5          | NULL         | Toys\n"), result.printedTable());
        assertTrue(result.printedTable().endsWith("(5 of 2345 rows)\n"), result.printedTable());

        String sent = athena.getQueryExecution(b -> b.queryExecutionId(
                athena.listQueryExecutions(r -> { }).queryExecutionIds().get(0))).queryExecution().query();
        assertEquals("SELECT * FROM " + QUALIFIED + " ORDER BY product_id", sent);
    }

    @Test
    void countsRowsOfTheQualifiedTable() throws Exception {
        moto.queueAthenaResult(List.of("_col0"), List.of(List.of("20")));
        assertEquals(20, engine(Map.of()).countRows());
        String sent = athena.getQueryExecution(b -> b.queryExecutionId(
                athena.listQueryExecutions(r -> { }).queryExecutionIds().get(0))).queryExecution().query();
        assertEquals("SELECT COUNT(*) FROM " + QUALIFIED, sent);
    }

    @Test
    void failedQueryCarriesAthenasReason() throws Exception {
        moto.athenaMode("fail", Map.of("reason", "TABLE_NOT_FOUND: line 1:15: Table 'data.products' does not exist"));
        AthenaQueryEngine engine = engine(Map.of());
        AthenaQueryException e = assertThrows(AthenaQueryException.class,
                                              () -> engine.query("SELECT * FROM \"data\".\"products\""));
        String id = onlyExecution().queryExecutionId();
        assertTrue(e.getMessage().startsWith("Athena query " + id + " FAILED: TABLE_NOT_FOUND: line 1:15: Table"
                                             + " 'data.products' does not exist"), e.getMessage());
        assertTrue(e.getMessage().endsWith(": https://" + MotoHarness.REGION + ".console.aws.amazon.com/athena/home"
                                           + "#/query-editor/history/" + id), e.getMessage());
    }

    @Test
    void queryThatNeverFinishesTimesOut() throws Exception {
        moto.athenaMode("hang", Map.of());
        AthenaQueryEngine engine = engine(Map.of("pipeline.athena.waitTimeout", "1s"));
        AthenaQueryException e = assertThrows(AthenaQueryException.class,
                () -> engine.query("SELECT * FROM \"data\".\"products\""));
        assertTrue(e.getMessage().contains("did not finish within pipeline.athena.waitTimeout=PT1S (last state RUNNING)"),
                   e.getMessage());
        assertTrue(e.getMessage().contains("stopped with StopQueryExecution"), e.getMessage());
        assertEquals(QueryExecutionState.CANCELLED, onlyExecution().status().state(), "not left running");
    }

    @Test
    void stoppingTheEngineStopsTheRunningQuery() throws Exception {
        moto.athenaMode("hang", Map.of());
        AthenaQueryEngine engine = engine(Map.of("pipeline.athena.waitTimeout", "60s"));
        CompletableFuture<Exception> query = startedInBackground(engine);
        camel.getRegistry().lookupByNameAndType(AthenaQueries.NAME, AthenaQueries.class).stop();
        Exception e = query.get(60, TimeUnit.SECONDS);
        assertTrue(e instanceof AthenaQueryException && e.getMessage().contains("the app is stopping"),
                   String.valueOf(e));
        assertEquals(QueryExecutionState.CANCELLED, onlyExecution().status().state(), "not left running");
    }

    @Test
    void stoppingTheAppWaitsForTheQueryOfARunThenStopsIt() throws Exception {
        moto.athenaMode("hang", Map.of());
        AtomicReference<AthenaQueryEngine> engine = new AtomicReference<>();
        // the query of a run in flight, which the app's graceful stop waits for
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:query").routeId("products-query")
                        .process(exchange -> engine.get().query("SELECT * FROM \"data\".\"products\""));
            }
        });
        engine.set(engine(Map.of("pipeline.athena.waitTimeout", "60s"), "run-7"));
        CompletableFuture<Object> run = camel.createProducerTemplate().asyncRequestBody("direct:query", "");
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> !athena.listQueryExecutions(r -> { }).queryExecutionIds().isEmpty());
        // a short stop: the query is stopped as its time runs out, well before either timeout
        camel.getShutdownStrategy().setTimeout(4);
        CompletableFuture<Void> stop = CompletableFuture.runAsync(camel::stop);
        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
        Throwable failure = e.getCause().getCause();
        assertTrue(failure instanceof AthenaQueryException && failure.getMessage().contains("the app is stopping"),
                   String.valueOf(failure));
        stop.get(60, TimeUnit.SECONDS);
        assertEquals(QueryExecutionState.CANCELLED, onlyExecution().status().state(), "not left running");
    }

    @Test
    void queryStartedWhileTheAppStopsIsStoppedToo() throws Exception {
        // the query exists at Athena before its id reaches the app: the stop waits for the id, then stops the query
        moto.athenaMode("hang", Map.of("startDelay", "2"));
        AthenaQueryEngine engine = engine(Map.of("pipeline.athena.waitTimeout", "60s"), "run-8");
        CompletableFuture<Exception> query = startedInBackground(engine);
        camel.getShutdownStrategy().setTimeout(1);
        camel.stop();
        assertEquals(QueryExecutionState.CANCELLED, onlyExecution().status().state(), "not left running");
        assertTrue(query.get(60, TimeUnit.SECONDS) instanceof Exception, "the query's caller learns it ended");
    }

    @Test
    void failedQueryIsStartedAgainWhenRetryAllowsIt() throws Exception {
        moto.athenaMode("fail", Map.of("reason", "GENERIC_INTERNAL_ERROR: worker lost"));
        AthenaQueryEngine engine = engine(
                Map.of("pipeline.athena.retry", "retryable", "pipeline.athena.maxAttempts", "3"));
        AthenaQueryException e = assertThrows(AthenaQueryException.class,
                () -> engine.query("SELECT * FROM \"data\".\"products\""));
        assertTrue(e.getMessage().contains("GENERIC_INTERNAL_ERROR"), e.getMessage());
        assertEquals(3, athena.listQueryExecutions(r -> { }).queryExecutionIds().size(), "three attempts");
    }

    /** Runs a query on another thread, once Athena has it: what it threw, or null, when it ends. */
    private CompletableFuture<Exception> startedInBackground(AthenaQueryEngine engine) {
        CompletableFuture<Exception> query = CompletableFuture.supplyAsync(() -> {
            try {
                engine.query("SELECT * FROM \"data\".\"products\"");
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> !athena.listQueryExecutions(r -> { }).queryExecutionIds().isEmpty());
        return query;
    }

    private QueryExecution onlyExecution() {
        List<String> ids = athena.listQueryExecutions(r -> { }).queryExecutionIds();
        assertEquals(1, ids.size(), "one query started: " + ids);
        return athena.getQueryExecution(b -> b.queryExecutionId(ids.get(0))).queryExecution();
    }
}
