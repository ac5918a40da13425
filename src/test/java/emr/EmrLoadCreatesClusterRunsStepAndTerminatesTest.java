package emr;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import lake.LoadResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.StepSummary;

/** A created cluster gets exactly the configured RunJobFlow, one list-argument step, the job uploaded once, and ends terminated. */
class EmrLoadCreatesClusterRunsStepAndTerminatesTest extends EmrOnMotoTest {

    @BeforeEach
    void stepsComplete() {
        moto.emrMode("complete", Map.of("snapshotId", "8765309"));
    }

    @Test
    void createsRunsAndTerminates() throws Exception {
        Path configurations = dir.resolve("configurations.json");
        Files.writeString(configurations, """
                [{"Classification": "spark-defaults", "Properties": {"spark.executor.memory": "4g"}}]""");
        Map<String, String> p = EmrTestSetup.properties(moto, dir);
        p.put("pipeline.emr.clusterName", "Spark job cluster");
        p.put("pipeline.emr.ec2KeyName", "emr-ec2-key-pair");
        p.put("pipeline.emr.subnetId", "subnet-0abc");
        p.put("pipeline.emr.tags", "team=data,cost-center=42");
        p.put("pipeline.emr.configurationsFile", configurations.toString());
        p.put("pipeline.emr.bootstrapActions", "install-deps=s3://" + EmrTestSetup.BUCKET + "/bootstrap.sh");
        p.put("pipeline.emr.autoTerminationIdleTimeout", "30m");
        p.put("pipeline.emr.sparkConf", "spark.driver.extraJavaOptions=-Dlog.level=INFO -Dlog.format=json");

        LoadResult result;
        try (EmrLoadEngine engine = new EmrLoadEngine(EmrTestSetup.config(p), dir, emr, s3)) {
            result = engine.load(EmrTestSetup.request("run-1"));

            String clusterId = emr.listClusters(b -> { }).clusters().get(0).id();
            Cluster cluster = emr.describeCluster(b -> b.clusterId(clusterId)).cluster();
            assertEquals(ClusterState.TERMINATED, cluster.status().state());
            assertEquals("Spark job cluster", cluster.name());
            assertEquals("emr-7.5.0", cluster.releaseLabel());
            assertEquals("s3://" + EmrTestSetup.BUCKET + "/test-emr-logs", cluster.logUri());
            assertEquals("EMR_DefaultRole", cluster.serviceRole());
            assertEquals("emr-ec2-key-pair", cluster.ec2InstanceAttributes().ec2KeyName());
            assertEquals("subnet-0abc", cluster.ec2InstanceAttributes().ec2SubnetId());
            assertEquals("EMR_EC2_DefaultRole", cluster.ec2InstanceAttributes().iamInstanceProfile());
            assertEquals(List.of("Spark"), cluster.applications().stream().map(a -> a.name()).toList());
            assertEquals(Map.of("team", "data", "cost-center", "42", "app", "s3tables-pipeline", "s3tables-pipeline:run", "run-1"),
                         cluster.tags().stream().collect(java.util.stream.Collectors.toMap(t -> t.key(), t -> t.value())));

            JsonNode request = moto.runJobFlowRequests().get(clusterId);
            JsonNode instances = request.get("Instances");
            assertEquals("m5.xlarge", instances.get("MasterInstanceType").asText());
            assertEquals("m5.xlarge", instances.get("SlaveInstanceType").asText());
            assertEquals(3, instances.get("InstanceCount").asInt());
            assertTrue(instances.get("KeepJobFlowAliveWhenNoSteps").asBoolean());
            assertEquals(1800, request.get("AutoTerminationPolicy").get("IdleTimeout").asLong());
            assertEquals("spark-defaults", request.get("Configurations").get(0).get("Classification").asText());
            assertEquals("4g", request.get("Configurations").get(0).get("Properties").get("spark.executor.memory")
                    .asText());
            assertEquals("s3://" + EmrTestSetup.BUCKET + "/bootstrap.sh",
                         request.get("BootstrapActions").get(0).get("ScriptBootstrapAction").get("Path").asText());

            List<StepSummary> steps = emr.listSteps(b -> b.clusterId(clusterId)).steps();
            assertEquals(1, steps.size());
            StepSummary step = steps.get(0);
            assertEquals("load_to_iceberg", step.name());
            assertEquals("CONTINUE", step.actionOnFailureAsString());
            assertEquals("command-runner.jar", step.config().jar());
            // the job's arguments, then the input's identity its commit records and checks first
            List<String> expected = new java.util.ArrayList<>(engine.command(EmrTestSetup.PARQUET).arguments());
            expected.addAll(List.of("--input-sha256", "sha-of-run-1", "--run-id", "run-1"));
            assertEquals(expected, step.config().args());
            assertTrue(step.config().args().contains("spark.driver.extraJavaOptions=-Dlog.level=INFO -Dlog.format=json"),
                       "an argument with a space arrives as one element: " + step.config().args());
            assertEquals(List.of("spark-submit", "--packages"), step.config().args().subList(0, 2));
            assertTrue(step.config().args().contains(
                    "spark.sql.catalog.s3tablesbucket.warehouse=" + EmrTestSetup.TABLE_BUCKET_ARN));
        }
        assertEquals("s3tablesbucket.data.products", result.table());
        assertEquals(8765309L, result.snapshotId());
        assertEquals(20, result.rowsAdded());
        assertFalse(Files.exists(EmrRunState.file(dir.resolve("state"), "run-1")), "run state removed when done");
    }

    @Test
    void uploadsTheJobOnlyWhenItChanged() throws Exception {
        Map<String, String> p = EmrTestSetup.properties(moto, dir);
        var config = EmrTestSetup.config(p);
        try (EmrLoadEngine engine = new EmrLoadEngine(config, dir, emr, s3)) {
            engine.load(EmrTestSetup.request("run-1"));
            Instant first = s3.headObject(b -> b.bucket(EmrTestSetup.BUCKET).key("load_to_iceberg.py")).lastModified();
            // S3 keeps LastModified to the second: an upload from now on would show a later one
            await("a second later than the first upload").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50)).until(() -> Instant.now().isAfter(first.plusSeconds(1)));
            engine.load(EmrTestSetup.request("run-2"));
            Instant second = s3.headObject(b -> b.bucket(EmrTestSetup.BUCKET).key("load_to_iceberg.py"))
                    .lastModified();
            assertEquals(first, second, "the unchanged job is not uploaded again");
        }
        assertFalse(new ScriptUploader(s3).upload(config.job().scriptPath(), config.job().scriptUri()));
        Files.writeString(config.job().scriptPath(), "print('changed')\n");
        assertTrue(new ScriptUploader(s3).upload(config.job().scriptPath(), config.job().scriptUri()));
    }
}
