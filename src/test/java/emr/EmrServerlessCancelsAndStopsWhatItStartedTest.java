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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import lake.LoadResult;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import run.GracefulStop;
import software.amazon.awssdk.services.emrserverless.model.ApplicationState;
import software.amazon.awssdk.services.emrserverless.model.JobRunState;

/**
 * EMR Serverless cost safety against moto: a failed job run fails the run with the driver's stderr tail, a timeout and
 * the app's stop cancel the job run, and each stops the application the run started; a restart waits on the job run a
 * killed process left instead of starting another, and the next start stops an application a killed run left started.
 */
class EmrServerlessCancelsAndStopsWhatItStartedTest extends EmrServerlessOnMotoTest {

    @Test
    void aFailedJobRunCarriesTheDriversStderrTailAndStopsTheApplication() throws Exception {
        moto.emrServerlessMode("fail", Map.of("stderr", "Ivy resolving\nTraceback (most recent call last):\n"
                + "pyspark.errors.exceptions.captured.AnalysisException: [TABLE_OR_VIEW_NOT_FOUND]\n"));
        try (EmrServerlessLoadEngine engine = engine(properties())) {
            EmrServerlessJobFailedException e = assertThrows(EmrServerlessJobFailedException.class,
                    () -> engine.load(EmrTestSetup.request("run-1")));
            assertTrue(e.getMessage().contains("ended FAILED"), e.getMessage());
            assertTrue(e.getMessage().contains("Job failed, please check complete logs"), e.getMessage());
            assertTrue(e.getMessage().contains("logs: " + LOG_URI + "/applications/" + e.applicationId() + "/jobs/"
                                               + e.jobRunId() + "/SPARK_DRIVER"), e.getMessage());
            assertTrue(e.getMessage().contains("last lines of the driver's stderr:\nIvy resolving"), e.getMessage());
            assertTrue(e.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), e.getMessage());
            assertEquals(ApplicationState.STOPPED, applicationState(e.applicationId()));
        }
        assertFalse(Files.exists(EmrServerlessRunState.file(stateDir(), "run-1")));
    }

    @Test
    void aTimeoutCancelsTheJobRunAndStopsTheApplication() throws Exception {
        Map<String, String> p = properties();
        p.put("pipeline.emrServerless.waitTimeout", "1s");
        try (EmrServerlessLoadEngine engine = engine(p)) {
            EmrServerlessJobFailedException e = assertThrows(EmrServerlessJobFailedException.class,
                    () -> engine.load(EmrTestSetup.request("run-1")));
            assertTrue(e.getMessage().contains("pipeline.emrServerless.waitTimeout=PT1S"), e.getMessage());
            assertEquals(JobRunState.CANCELLED, jobRun(e.applicationId(), e.jobRunId()).state());
            assertEquals(ApplicationState.STOPPED, applicationState(e.applicationId()));
        }
        assertEquals(1, moto.emrServerlessCalls("CancelJobRun"));
    }

    @Test
    void stoppingTheAppCancelsTheJobRunAndStopsTheApplication() throws Exception {
        EmrServerlessLoadEngine engine = engine(properties());
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
            EmrServerlessRunState state = awaitJobRun("run-1");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> jobRun(state.applicationId(), state.jobRunId()).state() == JobRunState.RUNNING);
            CompletableFuture<Void> stop = CompletableFuture.runAsync(camel::stop);

            ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
            Throwable failure = e.getCause().getCause();
            assertTrue(failure instanceof EmrServerlessJobFailedException
                       && failure.getMessage().contains("the app is stopping"), String.valueOf(failure));
            stop.get(60, TimeUnit.SECONDS);
            assertEquals(JobRunState.CANCELLED, jobRun(state.applicationId(), state.jobRunId()).state());
            assertEquals(ApplicationState.STOPPED, applicationState(state.applicationId()));
        }
        assertEquals(1, moto.emrServerlessCalls("CancelJobRun"), "cancelled once");
        assertFalse(Files.exists(EmrServerlessRunState.file(stateDir(), "run-1")));
    }

    @Test
    void aRestartTakesUpTheJobRunAKilledProcessLeftAndStartsNoOther() throws Exception {
        EmrServerlessRunState left = killedMidRun("run-1", "sha-a");
        int startJobRuns = moto.emrServerlessCalls("StartJobRun");
        try (EmrServerlessLoadEngine restarted = engine(properties())) {
            restarted.start(); // the sweep leaves a job run that still runs
            assertTrue(Files.exists(EmrServerlessRunState.file(stateDir(), "run-1")));
            CompletableFuture<LoadResult> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return restarted.load(EmrTestSetup.request("run-2", "sha-a"));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            moto.finishJobRun(left.applicationId(), left.jobRunId(), "SUCCESS");
            assertEquals(1234567890L, run.get(60, TimeUnit.SECONDS).snapshotId());
        }
        assertEquals(1, serverless.listJobRuns(b -> b.applicationId(left.applicationId())).jobRuns().size(),
                     "no second job run");
        assertEquals(startJobRuns, moto.emrServerlessCalls("StartJobRun"), "StartJobRun not sent again");
        assertEquals(ApplicationState.STOPPED, applicationState(left.applicationId()));
        assertFalse(Files.exists(EmrServerlessRunState.file(stateDir(), "run-1")));
    }

    @Test
    void theNextStartStopsTheApplicationAKilledRunLeftStarted() throws Exception {
        EmrServerlessRunState left = killedMidRun("run-1", "sha-a");
        moto.finishJobRun(left.applicationId(), left.jobRunId(), "FAILED"); // ended while nobody waited
        assertEquals(ApplicationState.STARTED, applicationState(left.applicationId()));

        try (EmrServerlessLoadEngine restarted = engine(properties())) {
            restarted.start();
            assertEquals(ApplicationState.STOPPED, applicationState(left.applicationId()));
            assertFalse(Files.exists(EmrServerlessRunState.file(stateDir(), "run-1")));
        }
    }

    /**
     * What a process killed while its job run ran leaves: the application it created and started, the job run it
     * started (RUNNING), and its run state naming both with StartJobRun's client token.
     */
    private EmrServerlessRunState killedMidRun(String runId, String sha) throws Exception {
        moto.emrServerlessMode("manual", Map.of());
        var config = config(properties());
        String applicationId = serverless.createApplication(new EmrServerlessApplications(serverless, config,
                new aws.StopSignal()).createRequest()).applicationId();
        serverless.startApplication(b -> b.applicationId(applicationId));
        EmrServerlessRunState state = EmrServerlessRunState.begin(runId, sha, EmrTestSetup.PARQUET)
                .withApplication(applicationId, true);
        EmrServerlessLoadEngine killed = engine(properties());
        String jobRunId = serverless.startJobRun(killed.startJobRunRequest(state, killed.command(state))).jobRunId();
        state = state.withJobRun(jobRunId);
        state.write(stateDir());
        moto.emrServerlessMode("complete", Map.of());
        return state;
    }

    /** The run state once it names the job run. */
    private EmrServerlessRunState awaitJobRun(String runId) {
        Path file = EmrServerlessRunState.file(stateDir(), runId);
        await("the run state " + file + " naming the job run").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(file) && EmrServerlessRunState.read(file).jobRunId() != null);
        return EmrServerlessRunState.read(file);
    }
}
