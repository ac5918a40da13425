package emr;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import config.EmrConfig;
import lake.LoadResult;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.model.ClusterState;

/**
 * Reuse by name submits to the running cluster and leaves it running; a restarted app resumes the wait on the step of
 * the same input (same SHA-256), and never the step of another input that shared the Parquet's S3 key.
 */
class EmrReuseAndRestartSubmitNothingExtraTest extends EmrOnMotoTest {

    @Test
    void reuseByNameSubmitsToTheRunningClusterAndLeavesIt() throws Exception {
        String shared = emr.runJobFlow(b -> b.name("shared-spark").releaseLabel("emr-7.5.0")
                .logUri("s3://" + EmrTestSetup.BUCKET + "/shared-logs")
                .instances(i -> i.masterInstanceType("m5.xlarge").slaveInstanceType("m5.xlarge").instanceCount(2)
                        .keepJobFlowAliveWhenNoSteps(true))
                .serviceRole("EMR_DefaultRole").jobFlowRole("EMR_EC2_DefaultRole")).jobFlowId();
        String other = emr.runJobFlow(b -> b.name("other").releaseLabel("emr-7.5.0")
                .instances(i -> i.keepJobFlowAliveWhenNoSteps(true))).jobFlowId();
        moto.emrMode("complete", Map.of());

        Map<String, String> p = EmrTestSetup.properties(moto, dir);
        p.put("pipeline.emr.reuseClusterName", "shared-spark");
        try (EmrLoadEngine engine = new EmrLoadEngine(EmrTestSetup.config(p), dir, emr, s3)) {
            engine.load(EmrTestSetup.request("run-1"));
        }
        assertEquals(1, emr.listSteps(b -> b.clusterId(shared)).steps().size());
        assertEquals(0, emr.listSteps(b -> b.clusterId(other)).steps().size());
        assertEquals(1, emr.listClusters(b -> { }).clusters().size() - 1, "no cluster created");
        assertEquals(ClusterState.WAITING, emr.describeCluster(b -> b.clusterId(shared)).cluster().status().state());
    }

    @Test
    void restartedAppResumesWaitingOnTheSameStep() throws Exception {
        EmrConfig config = EmrTestSetup.config(EmrTestSetup.properties(moto, dir));
        // what a JVM killed mid-wait leaves behind: a created cluster, its step, and the run state
        EmrClusters.Target target = new EmrClusters(emr, config).resolve("run-1");
        String stepId;
        try (EmrLoadEngine before = new EmrLoadEngine(config, dir, emr, s3)) {
            stepId = emr.addJobFlowSteps(b -> b.jobFlowId(target.clusterId()).steps(s -> s.name("load_to_iceberg")
                    .hadoopJarStep(h -> h.jar("command-runner.jar")
                            .args(before.command(EmrTestSetup.PARQUET).arguments())))).stepIds().get(0);
        }
        EmrRunState.begin("run-1", "sha-a", EmrTestSetup.PARQUET).withCluster(target.clusterId(), true)
                .withStep(stepId).write(dir.resolve("state"));

        try (EmrLoadEngine restarted = new EmrLoadEngine(config, dir, emr, s3)) {
            CompletableFuture<LoadResult> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return restarted.load(EmrTestSetup.request("run-2", "sha-a"));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // the run asks about the step again and again: it waits on it, neither done nor submitting another
            int asked = moto.emrCalls("DescribeStep");
            await("the restarted run asking about step " + stepId + " twice more").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50)).failFast("the run ended", run::isDone)
                    .until(() -> moto.emrCalls("DescribeStep") >= asked + 2);
            assertFalse(run.isDone(), "the run still waits on step " + stepId);
            moto.finishStep(target.clusterId(), stepId, "COMPLETED");
            run.get(60, TimeUnit.SECONDS);
        }
        assertEquals(1, emr.listSteps(b -> b.clusterId(target.clusterId())).steps().size(), "nothing submitted again");
        assertEquals(1, emr.listClusters(b -> { }).clusters().size(), "no cluster created");
        assertEquals(ClusterState.TERMINATED,
                     emr.describeCluster(b -> b.clusterId(target.clusterId())).cluster().status().state());
        assertFalse(Files.exists(EmrRunState.file(dir.resolve("state"), "run-1")), "run state removed when done");
    }

    @Test
    void stateOfAnotherInputAtTheSameS3KeyIsNotResumed() throws Exception {
        EmrConfig config = EmrTestSetup.config(EmrTestSetup.properties(moto, dir));
        // another input's run, killed mid-wait, left its step for the same s3://.../products.parquet
        EmrClusters.Target other = new EmrClusters(emr, config).resolve("run-1");
        String otherStep;
        try (EmrLoadEngine before = new EmrLoadEngine(config, dir, emr, s3)) {
            otherStep = emr.addJobFlowSteps(b -> b.jobFlowId(other.clusterId()).steps(s -> s.name("load_to_iceberg")
                    .hadoopJarStep(h -> h.jar("command-runner.jar")
                            .args(before.command(EmrTestSetup.PARQUET).arguments())))).stepIds().get(0);
        }
        EmrRunState.begin("run-1", "sha-other", EmrTestSetup.PARQUET).withCluster(other.clusterId(), true)
                .withStep(otherStep).write(dir.resolve("state"));
        moto.finishStep(other.clusterId(), otherStep, "FAILED"); // resuming it would fail run-2
        moto.emrMode("complete", Map.of());

        try (EmrLoadEngine engine = new EmrLoadEngine(config, dir, emr, s3)) {
            engine.load(EmrTestSetup.request("run-2", "sha-mine"));
        }
        assertEquals(2, emr.listClusters(b -> { }).clusters().size(), "run-2 made its own cluster");
        assertEquals(1, emr.listSteps(b -> b.clusterId(other.clusterId())).steps().size(),
                     "nothing submitted to the other run's cluster");
        assertTrue(Files.exists(EmrRunState.file(dir.resolve("state"), "run-1")), "the other run's state is left alone");
    }
}
