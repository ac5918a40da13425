package emr;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import run.GracefulStop;
import software.amazon.awssdk.services.emr.model.ClusterState;

/**
 * A FAILED step, a timeout or an app stop that has waited for the run as long as it may fails the run with EMR's reason
 * and terminates the cluster the run created.
 */
class EmrStepFailureFailsRunAndTerminatesClusterTest extends EmrOnMotoTest {

    @Test
    void failedStepCarriesReasonAndStderrTail() throws Exception {
        moto.emrMode("fail", Map.of("reason", "Unknown Error", "message",
                                    "Exception in thread main: Table bucket not found",
                                    "stderr", "Ivy resolving\nTraceback (most recent call last):\n"
                                              + "pyspark.errors.AnalysisException: TABLE_OR_VIEW_NOT_FOUND\n"));
        try (EmrLoadEngine engine = new EmrLoadEngine(EmrTestSetup.config(EmrTestSetup.properties(moto, dir)), dir,
                                                      emr, s3)) {
            EmrStepFailedException e = assertThrows(EmrStepFailedException.class,
                                                    () -> engine.load(EmrTestSetup.request("run-1")));
            assertTrue(e.getMessage().contains("ended FAILED"), e.getMessage());
            assertTrue(e.getMessage().contains("reason: Unknown Error"), e.getMessage());
            assertTrue(e.getMessage().contains("Table bucket not found"), e.getMessage());
            assertTrue(e.getMessage().contains("log file: s3://" + EmrTestSetup.BUCKET + "/test-emr-logs/"),
                       e.getMessage());
            assertTrue(e.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), "stderr tail: " + e.getMessage());
            assertEquals(ClusterState.TERMINATED, state(e.clusterId()));
        }
        assertFalse(Files.exists(EmrRunState.file(dir.resolve("state"), "run-1")));
    }

    @Test
    void clusterTerminatedWithErrorsFailsTheRun() throws Exception {
        try (EmrLoadEngine engine = new EmrLoadEngine(EmrTestSetup.config(EmrTestSetup.properties(moto, dir)), dir,
                                                      emr, s3)) {
            var failure = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    engine.load(EmrTestSetup.request("run-1"));
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            EmrRunState state = awaitState(dir, "run-1");
            moto.terminateWithErrors(state.clusterId(), "VALIDATION_ERROR: The subnet does not exist");
            Exception e = failure.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(e instanceof EmrStepFailedException, String.valueOf(e));
            assertTrue(e.getMessage().contains("TERMINATED_WITH_ERRORS"), e.getMessage());
            assertTrue(e.getMessage().contains("The subnet does not exist"), e.getMessage());
        }
    }

    @Test
    void timeoutFailsTheRunAndTerminates() throws Exception {
        Map<String, String> p = EmrTestSetup.properties(moto, dir);
        p.put("pipeline.emr.waitTimeout", "1s");
        try (EmrLoadEngine engine = new EmrLoadEngine(EmrTestSetup.config(p), dir, emr, s3)) {
            EmrWaitTimeoutException e = assertThrows(EmrWaitTimeoutException.class,
                                                     () -> engine.load(EmrTestSetup.request("run-1")));
            assertTrue(e.getMessage().contains("pipeline.emr.waitTimeout=PT1S"), e.getMessage());
        }
        String clusterId = emr.listClusters(b -> { }).clusters().get(0).id();
        assertEquals(ClusterState.TERMINATED, state(clusterId));
    }

    @Test
    void stoppingTheAppWaitsForTheRunThenTerminatesTheClusterItCreated() throws Exception {
        EmrLoadEngine engine = new EmrLoadEngine(EmrTestSetup.config(EmrTestSetup.properties(moto, dir)), dir, emr,
                                                 s3);
        try (CamelContext camel = new DefaultCamelContext()) {
            // the app's wiring: the engine a service of the context, its waits ended when the stop's time runs out
            camel.getShutdownStrategy().setTimeout(4);
            GracefulStop.of(camel).whenTimeRunsOut(engine::stopRuns);
            camel.addService(engine, true, true);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:load").routeId("products-load")
                            .process(exchange -> engine.load(EmrTestSetup.request("run-1")));
                }
            });
            camel.start();
            CompletableFuture<Object> run = camel.createProducerTemplate().asyncRequestBody("direct:load", "");
            EmrRunState state = awaitState(dir, "run-1");
            CompletableFuture<Void> stop = CompletableFuture.runAsync(camel::stop);

            ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
            Throwable failure = e.getCause().getCause();
            assertTrue(failure instanceof EmrStepFailedException
                       && failure.getMessage().contains("the app is stopping"), String.valueOf(failure));
            stop.get(60, TimeUnit.SECONDS);
            assertEquals(ClusterState.TERMINATED, state(state.clusterId()));
        }
        assertFalse(Files.exists(EmrRunState.file(dir.resolve("state"), "run-1")));
    }

    @Test
    void stoppingWithKeepClusterLeavesTheClusterAndTheRunStateForARestart() throws Exception {
        Map<String, String> p = EmrTestSetup.properties(moto, dir);
        p.put("pipeline.emr.keepCluster", "true");
        EmrLoadEngine engine = new EmrLoadEngine(EmrTestSetup.config(p), dir, emr, s3);
        var run = loadInBackground(engine);
        EmrRunState state = awaitState(dir, "run-1");
        engine.stopRuns(); // the wait ends at once: it is not left to its pipeline.emr.waitTimeout
        assertStoppedByTheApp(run);
        assertTrue(Set.of(ClusterState.WAITING, ClusterState.RUNNING, ClusterState.STARTING)
                .contains(state(state.clusterId())), "kept cluster is " + state(state.clusterId()));
        assertTrue(Files.exists(EmrRunState.file(dir.resolve("state"), "run-1")), "run state kept for a restart");
        engine.close();
    }

    private static java.util.concurrent.CompletableFuture<Void> loadInBackground(EmrLoadEngine engine) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                engine.load(EmrTestSetup.request("run-1"));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    /** The run failed, saying the app is stopping. */
    private static void assertStoppedByTheApp(java.util.concurrent.CompletableFuture<Void> run) {
        Exception e = assertThrows(Exception.class, () -> run.get(60, java.util.concurrent.TimeUnit.SECONDS));
        Throwable failure = e.getCause().getCause();
        assertTrue(failure instanceof EmrStepFailedException && failure.getMessage().contains("the app is stopping"),
                   String.valueOf(failure));
    }

    private ClusterState state(String clusterId) {
        return emr.describeCluster(b -> b.clusterId(clusterId)).cluster().status().state();
    }

    /** The run state once it names the submitted step. */
    static EmrRunState awaitState(Path dir, String runId) throws InterruptedException {
        Path file = EmrRunState.file(dir.resolve("state"), runId);
        await("the run state " + file + " naming the submitted step").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(file) && EmrRunState.read(file).stepId() != null);
        return EmrRunState.read(file);
    }
}
