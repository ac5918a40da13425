package emr;

import config.TableConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import config.ConfigurationException;
import config.EmrConfig;
import config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EmrConfig applies the walkthrough's defaults and names every bad property and its value. */
class EmrConfigValidationTest {

    @TempDir
    Path dir;

    private Map<String, String> minimal() throws Exception {
        Path script = dir.resolve("job.py");
        Files.writeString(script, "pass\n");
        Map<String, String> p = new HashMap<>();
        p.put("pipeline.emr.logUri", "s3://bucket/test-emr-logs");
        p.put("pipeline.emr.scriptUri", "s3://bucket/load_to_iceberg.py");
        p.put("pipeline.emr.scriptPath", script.toString());
        p.put("pipeline.s3tables.tableBucketArn", "arn:aws:s3tables:ap-southeast-1:123456789012:bucket/ecommerce-lakehouse");
        return p;
    }

    private static EmrConfig load(Map<String, String> p) {
        Settings s = new Settings(k -> Optional.ofNullable(p.get(k)));
        EmrConfig config = EmrConfig.from(s);
        s.validate();
        return config;
    }

    @Test
    void defaultsAreTheWalkthroughs() throws Exception {
        EmrConfig c = load(minimal());
        assertTrue(c.createsCluster());
        assertEquals("Spark job cluster", c.clusterName());
        assertEquals("emr-7.5.0", c.releaseLabel());
        assertEquals(List.of("Spark"), c.applications());
        assertEquals("m5.xlarge", c.masterInstanceType());
        assertEquals("m5.xlarge", c.coreInstanceType());
        assertEquals(3, c.instanceCount());
        assertTrue(c.keepJobFlowAliveWhenNoSteps());
        assertEquals("EMR_DefaultRole", c.serviceRole());
        assertEquals("EMR_EC2_DefaultRole", c.jobFlowRole());
        assertEquals(List.of("org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.6.1",
                             "software.amazon.s3tables:s3-tables-catalog-for-iceberg:0.1.0"), c.job().packages());
        assertEquals("s3tablesbucket", c.job().catalogName());
        assertEquals("ecommerce-lakehouse", c.tableBucketName());
        assertEquals("data", c.job().namespace());
        assertEquals("products", c.job().table());
        assertEquals(TableConfig.Mode.OVERWRITE, c.job().mode());
        assertEquals(EmrConfig.ActionOnFailure.CONTINUE, c.actionOnFailure());
        assertEquals(Duration.ofSeconds(30), c.waitInterval());
        assertEquals(Duration.ofMinutes(60), c.waitTimeout());
        assertEquals(false, c.keepCluster());
    }

    @Test
    void releaseBeforeSevenFiveIsRejected() throws Exception {
        Map<String, String> p = minimal();
        p.put("pipeline.emr.releaseLabel", "emr-6.15.0");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> load(p));
        assertEquals(List.of("pipeline.emr.releaseLabel must be emr-7.5.0 or newer for S3 Tables, was emr-6.15.0"),
                     e.problems());
        p.put("pipeline.emr.releaseLabel", "emr-7.10.0");
        assertEquals("emr-7.10.0", load(p).releaseLabel());
    }

    @Test
    void everyProblemIsNamedWithItsValue() {
        Map<String, String> p = new HashMap<>();
        p.put("pipeline.emr.scriptPath", dir.resolve("missing.py").toString());
        p.put("pipeline.emr.instanceCount", "zero");
        p.put("pipeline.emr.tags", "team");
        p.put("pipeline.emr.actionOnFailure", "explode");
        p.put("pipeline.s3tables.tableBucketArn", "ecommerce-lakehouse");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> load(p));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("pipeline.emr.logUri is required"), all);
        assertTrue(all.contains("pipeline.emr.scriptUri is required"), all);
        assertTrue(all.contains("pipeline.emr.scriptPath must be the Spark job to upload"), all);
        assertTrue(all.contains("pipeline.emr.instanceCount must be a whole number, was zero"), all);
        assertTrue(all.contains("pipeline.emr.tags must be a comma-separated list of name=value pairs, was team"), all);
        assertTrue(all.contains("pipeline.emr.actionOnFailure must be one of"), all);
        assertTrue(all.contains("pipeline.s3tables.tableBucketArn must look like"), all);
    }

    @Test
    void reuseNeedsNoLogUri() throws Exception {
        Map<String, String> p = minimal();
        p.remove("pipeline.emr.logUri");
        p.put("pipeline.emr.reuseClusterName", "shared");
        EmrConfig c = load(p);
        assertEquals(Optional.of("shared"), c.reuseClusterName());
        p.put("pipeline.emr.clusterId", "j-123");
        assertThrows(ConfigurationException.class, () -> load(p));
    }
}
