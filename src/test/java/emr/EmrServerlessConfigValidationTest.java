package emr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import config.ConfigurationException;
import config.EmrServerlessConfig;
import config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EmrServerlessConfig's defaults, and every bad pipeline.emrServerless.* value named with the property at start-up. */
class EmrServerlessConfigValidationTest {

    @TempDir
    Path dir;

    private Map<String, String> minimal() throws Exception {
        Path script = dir.resolve("job.py");
        Files.writeString(script, "pass\n");
        Map<String, String> p = new HashMap<>();
        p.put("pipeline.emrServerless.executionRoleArn", "arn:aws:iam::123456789012:role/EMRServerlessJobRole");
        p.put("pipeline.emrServerless.logUri", "s3://bucket/emr-serverless-logs");
        p.put("pipeline.emr.scriptUri", "s3://bucket/load_to_iceberg.py");
        p.put("pipeline.emr.scriptPath", script.toString());
        p.put("pipeline.emr.region", "ap-southeast-1");
        p.put("pipeline.s3tables.tableBucketArn",
              "arn:aws:s3tables:ap-southeast-1:123456789012:bucket/ecommerce-lakehouse");
        return p;
    }

    private static EmrServerlessConfig load(Map<String, String> p) {
        Settings s = new Settings(k -> Optional.ofNullable(p.get(k)));
        EmrServerlessConfig config = EmrServerlessConfig.from(s);
        s.validate();
        return config;
    }

    private static String problem(Map<String, String> p) {
        return assertThrows(ConfigurationException.class, () -> load(p)).getMessage();
    }

    @Test
    void defaultsCreateAnApplicationThatStopsItselfAndRunTheEmrStepsJob() throws Exception {
        EmrServerlessConfig c = load(minimal());
        assertTrue(c.createsApplication());
        assertEquals("s3tables-pipeline", c.applicationName());
        assertEquals("emr-7.5.0", c.releaseLabel());
        assertTrue(c.autoStart());
        assertEquals(Duration.ofMinutes(15), c.autoStopIdleTimeout());
        assertEquals(Duration.ofMinutes(60), c.waitTimeout());
        assertFalse(c.keepApplicationStarted());
        assertEquals(Optional.of("ap-southeast-1"), c.region(), "pipeline.emr.region when its own is empty");
        assertEquals("s3tablesbucket.data.products", c.job().qualifiedTable());
        assertEquals(2, c.job().packages().size());
        assertEquals("s3tables-pipeline", c.applicationTags().get("app"));
    }

    @Test
    void theRoleAndTheLogUriAreRequired() throws Exception {
        Map<String, String> p = minimal();
        p.remove("pipeline.emrServerless.executionRoleArn");
        p.put("pipeline.emrServerless.logUri", "/tmp/logs");
        String message = problem(p);
        assertTrue(message.contains("pipeline.emrServerless.executionRoleArn must be the job runtime role's ARN"
                                    + " (arn:aws:iam::<account>:role/<name>), was not set"), message);
        assertTrue(message.contains("pipeline.emrServerless.logUri must be an s3:// URI"), message);
        assertTrue(message.contains("was /tmp/logs"), message);
    }

    @Test
    void badValuesAreNamedWithTheirProperty() throws Exception {
        Map<String, String> p = minimal();
        p.put("pipeline.emrServerless.applicationId", "00abc");
        p.put("pipeline.emrServerless.reuseApplicationName", "team-spark");
        p.put("pipeline.emrServerless.releaseLabel", "emr-6.15.0");
        p.put("pipeline.emrServerless.autoStopIdleTimeout", "30s");
        p.put("pipeline.emrServerless.maximumCapacity", "cpu=16vCPU,gpu=1");
        p.put("pipeline.emrServerless.waitTimeout", "10ms");
        p.put("pipeline.emr.sparkConf", "spark.driver.extraJavaOptions=-Da=1 -Db=2");
        String message = problem(p);
        for (String expected : new String[] {
            "pipeline.emrServerless.applicationId and pipeline.emrServerless.reuseApplicationName are exclusive",
            "pipeline.emrServerless.releaseLabel must be emr-7.5.0 or newer for S3 Tables, was emr-6.15.0",
            "pipeline.emrServerless.autoStopIdleTimeout must be whole minutes between 1m and 7d",
            "pipeline.emrServerless.maximumCapacity takes cpu=, memory= and disk=",
            "pipeline.emrServerless.maximumCapacity needs both cpu= and memory=",
            "pipeline.emrServerless.waitTimeout must be at least pipeline.emrServerless.waitInterval, was 10ms",
            "pipeline.emr.sparkConf cannot carry a space with pipeline.engine=emr-serverless"}) {
            assertTrue(message.contains(expected), expected + " in: " + message);
        }
    }
}
