package emr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import config.EmrServerlessConfig;
import config.Settings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.ApplicationState;
import software.amazon.awssdk.services.emrserverless.model.JobRun;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An EMR Serverless test against moto in server mode (a real SDK client): moto emptied, the general purpose bucket
 * made, and the engine's settings pointing at it with short waits.
 */
@ExtendWith(MotoHarness.class)
abstract class EmrServerlessOnMotoTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/EMRServerlessS3TablesJobRole";
    static final String LOG_URI = "s3://" + EmrTestSetup.BUCKET + "/serverless-logs";

    @TempDir
    Path dir;

    MotoHarness moto;
    EmrServerlessClient serverless;
    S3Client s3;

    @BeforeEach
    void startFromAnEmptyMoto(MotoHarness harness) {
        moto = harness;
        moto.reset();
        serverless = moto.emrServerless();
        s3 = moto.s3();
        EmrTestSetup.createBucket(s3);
    }

    Map<String, String> properties() throws IOException {
        Path script = dir.resolve("load_to_iceberg.py");
        if (!Files.exists(script)) {
            Files.writeString(script, "print('LOAD_SUMMARY {}')\n");
        }
        Map<String, String> p = new HashMap<>();
        p.put("pipeline.emrServerless.endpoint", moto.endpoint().toString());
        p.put("pipeline.emrServerless.region", MotoHarness.REGION);
        p.put("pipeline.emrServerless.executionRoleArn", ROLE);
        p.put("pipeline.emrServerless.logUri", LOG_URI);
        p.put("pipeline.emrServerless.waitInterval", "100ms");
        p.put("pipeline.emrServerless.waitTimeout", "20s");
        p.put("pipeline.emr.scriptUri", "s3://" + EmrTestSetup.BUCKET + "/load_to_iceberg.py");
        p.put("pipeline.emr.scriptPath", script.toString());
        p.put("pipeline.s3tables.tableBucketArn", EmrTestSetup.TABLE_BUCKET_ARN);
        return p;
    }

    static EmrServerlessConfig config(Map<String, String> properties) {
        Settings settings = new Settings(k -> Optional.ofNullable(properties.get(k)));
        EmrServerlessConfig config = EmrServerlessConfig.from(settings);
        settings.validate();
        return config;
    }

    EmrServerlessLoadEngine engine(Map<String, String> properties) {
        return new EmrServerlessLoadEngine(config(properties), dir, serverless, s3);
    }

    ApplicationState applicationState(String id) {
        return serverless.getApplication(b -> b.applicationId(id)).application().state();
    }

    /** The one application moto has. */
    String onlyApplication() {
        var applications = serverless.listApplications(b -> { }).applications();
        if (applications.size() != 1) {
            throw new AssertionError("expected one EMR Serverless application, moto has " + applications);
        }
        return applications.get(0).id();
    }

    JobRun jobRun(String applicationId, String jobRunId) {
        return serverless.getJobRun(b -> b.applicationId(applicationId).jobRunId(jobRunId)).jobRun();
    }

    Path stateDir() {
        return dir.resolve("state");
    }
}
