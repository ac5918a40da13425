package emr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import config.EmrConfig;
import lake.LoadResult;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.emr.model.ClusterState;

/**
 * EMR cost safety against moto: the run state is written before RunJobFlow, a lost RunJobFlow answer or a restart finds
 * the cluster by its run tag instead of making a second one, a created cluster ends itself after 1 h idle, transient
 * errors while waiting are asked again without ending the cluster, and a failed termination is retried on the next
 * start.
 */
class EmrNeverMakesASecondClusterNorLeavesOneTest extends EmrOnMotoTest {

    private Path stateDir() {
        return dir.resolve("state");
    }

    @Test
    void createdClusterEndsItselfAfterAnHourIdleByDefault() throws Exception {
        moto.emrMode("complete", Map.of());
        try (EmrLoadEngine engine = engine(EmrTestSetup.properties(moto, dir))) {
            engine.load(EmrTestSetup.request("run-1"));
        }
        String clusterId = emr.listClusters(b -> { }).clusters().get(0).id();
        JsonNode request = moto.runJobFlowRequests().get(clusterId);
        assertEquals(3600, request.get("AutoTerminationPolicy").get("IdleTimeout").asLong());
        assertTrue(request.get("Instances").get("KeepJobFlowAliveWhenNoSteps").asBoolean());
        assertTrue(emr.describeCluster(b -> b.clusterId(clusterId)).cluster().tags().stream()
                           .anyMatch(t -> t.key().equals("s3tables-pipeline:run") && t.value().equals("run-1")));
    }

    @Test
    void runStateIsWrittenBeforeRunJobFlowAndARetryCreatesOneCluster() throws Exception {
        moto.emrFault("RunJobFlow", 1, 503, false);
        try (EmrLoadEngine engine = engine(EmrTestSetup.properties(moto, dir))) {
            AwsServiceException e = assertThrows(AwsServiceException.class,
                                                 () -> engine.load(EmrTestSetup.request("run-1")));
            assertEquals(503, e.statusCode());
            EmrRunState kept = EmrRunState.read(EmrRunState.file(stateDir(), "run-1"));
            assertNull(kept.clusterId(), "state written before the cluster, and kept for the retry");
            assertEquals("sha-of-run-1", kept.inputSha256());

            moto.emrMode("complete", Map.of());
            engine.load(EmrTestSetup.request("run-1")); // what Camel's redelivery does
        }
        assertEquals(1, emr.listClusters(b -> { }).clusters().size());
        assertEquals(1, moto.emrFaultsServed("RunJobFlow"));
        assertFalse(Files.exists(EmrRunState.file(stateDir(), "run-1")));
    }

    @Test
    void lostRunJobFlowAnswerIsNotRetriedByTheSdkAndTheTaggedClusterIsUsed() throws Exception {
        moto.emrFault("RunJobFlow", 1, 503, true); // moto makes the cluster, the answer says 503
        moto.emrMode("complete", Map.of());
        LoadResult result;
        try (EmrLoadEngine engine = engine(EmrTestSetup.properties(moto, dir))) {
            result = engine.load(EmrTestSetup.request("run-1"));
        }
        assertEquals(1, moto.emrFaultsServed("RunJobFlow"));
        assertEquals(1, moto.runJobFlowRequests().size(), "RunJobFlow sent once");
        assertEquals(1, emr.listClusters(b -> { }).clusters().size(), "one cluster");
        String clusterId = emr.listClusters(b -> { }).clusters().get(0).id();
        assertEquals(1, emr.listSteps(b -> b.clusterId(clusterId)).steps().size());
        assertEquals(ClusterState.TERMINATED, state(clusterId));
        assertEquals(1234567890L, result.snapshotId());
    }

    @Test
    void restartAfterAKillBetweenRunJobFlowAndItsAnswerUsesTheTaggedCluster() throws Exception {
        EmrConfig config = EmrTestSetup.config(EmrTestSetup.properties(moto, dir));
        // kill -9 right after RunJobFlow: the state names no cluster, the cluster carries the run tag
        EmrRunState.begin("run-1", "sha-a", EmrTestSetup.PARQUET).write(stateDir());
        String leftBehind = emr.runJobFlow(new EmrClusters(emr, config).runJobFlowRequest("run-1")).jobFlowId();
        moto.emrMode("complete", Map.of());

        try (EmrLoadEngine restarted = engine(EmrTestSetup.properties(moto, dir))) {
            restarted.load(EmrTestSetup.request("run-2", "sha-a"));
        }
        assertEquals(1, emr.listClusters(b -> { }).clusters().size(), "no second cluster");
        assertEquals(1, emr.listSteps(b -> b.clusterId(leftBehind)).steps().size());
        assertEquals(ClusterState.TERMINATED, state(leftBehind));
    }

    @Test
    void transientErrorsWhileWaitingAreAskedAgainWithoutEndingTheCluster() throws Exception {
        Map<String, String> p = EmrTestSetup.properties(moto, dir);
        p.put("pipeline.emr.waitTimeout", "120s");
        try (EmrLoadEngine engine = engine(p)) {
            CompletableFuture<LoadResult> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return engine.load(EmrTestSetup.request("run-1"));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            EmrRunState state = EmrStepFailureFailsRunAndTerminatesClusterTest.awaitState(dir, "run-1");
            // more in a row than the SDK's own three attempts
            moto.emrFault("DescribeStep", 5, 503, false);
            moto.emrFault("DescribeCluster", 4, 400, false);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(
                    () -> moto.emrFaultsServed("DescribeStep") == 5 && moto.emrFaultsServed("DescribeCluster") == 4);
            assertFalse(run.isDone(), "the run still waits");
            assertTrue(Set.of(ClusterState.RUNNING, ClusterState.WAITING).contains(state(state.clusterId())));

            moto.finishStep(state.clusterId(), state.stepId(), "COMPLETED");
            run.get(60, TimeUnit.SECONDS);
            assertEquals(1, emr.listClusters(b -> { }).clusters().size(), "no second cluster");
            assertEquals(1, emr.listSteps(b -> b.clusterId(state.clusterId())).steps().size(), "no second step");
        }
    }

    @Test
    void failedTerminationKeepsTheStateAndTheNextStartTerminates() throws Exception {
        moto.emrMode("fail", Map.of());
        moto.emrFault("TerminateJobFlows", 100, 503, false); // every attempt the SDK makes fails
        String clusterId;
        try (EmrLoadEngine engine = engine(EmrTestSetup.properties(moto, dir))) {
            EmrStepFailedException e = assertThrows(EmrStepFailedException.class,
                                                    () -> engine.load(EmrTestSetup.request("run-1")));
            clusterId = e.clusterId();
        }
        assertTrue(moto.emrFaultsServed("TerminateJobFlows") > 0);
        EmrRunState kept = EmrRunState.read(EmrRunState.file(stateDir(), "run-1"));
        assertTrue(kept.terminationPending());
        assertEquals(clusterId, kept.clusterId());
        assertTrue(Set.of(ClusterState.RUNNING, ClusterState.WAITING).contains(state(clusterId)));

        moto.emrFault("TerminateJobFlows", 0, 503, false); // EMR answers again
        try (EmrLoadEngine restarted = engine(EmrTestSetup.properties(moto, dir))) {
            restarted.sweepLeftovers();
        }
        assertEquals(ClusterState.TERMINATED, state(clusterId));
        assertFalse(Files.exists(EmrRunState.file(stateDir(), "run-1")));
    }

    private EmrLoadEngine engine(Map<String, String> properties) {
        return new EmrLoadEngine(EmrTestSetup.config(properties), dir, emr, s3);
    }

    private ClusterState state(String clusterId) {
        return emr.describeCluster(b -> b.clusterId(clusterId)).cluster().status().state();
    }
}
