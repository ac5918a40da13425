package emr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import config.EmrConfig;
import lake.LoadResult;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.model.ClusterState;

/** Reuse by name submits to the running cluster and leaves it running; a restarted app resumes the wait on its step. */
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
        new EmrRunState("run-1", EmrTestSetup.PARQUET, target.clusterId(), stepId, true).write(dir.resolve("state"));

        try (EmrLoadEngine restarted = new EmrLoadEngine(config, dir, emr, s3)) {
            CompletableFuture<LoadResult> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return restarted.load(EmrTestSetup.request("run-2"));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(500);
            assertFalse(run.isDone(), "still waiting on the step");
            moto.finishStep(target.clusterId(), stepId, "COMPLETED");
            run.get(20, TimeUnit.SECONDS);
        }
        assertEquals(1, emr.listSteps(b -> b.clusterId(target.clusterId())).steps().size(), "nothing submitted again");
        assertEquals(1, emr.listClusters(b -> { }).clusters().size(), "no cluster created");
        assertEquals(ClusterState.TERMINATED,
                     emr.describeCluster(b -> b.clusterId(target.clusterId())).cluster().status().state());
        assertFalse(Files.exists(EmrRunState.file(dir.resolve("state"), "run-1")), "run state removed when done");
    }
}
