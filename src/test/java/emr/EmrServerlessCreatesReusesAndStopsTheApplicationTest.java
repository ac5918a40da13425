package emr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import lake.LoadRequest;
import lake.LoadResult;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emrserverless.model.Application;
import software.amazon.awssdk.services.emrserverless.model.ApplicationState;
import software.amazon.awssdk.services.emrserverless.model.JobRun;
import software.amazon.awssdk.services.emrserverless.model.JobRunState;
import software.amazon.awssdk.services.emrserverless.model.JobRunSummary;

/**
 * EMR Serverless against moto: one application created (emr-7.5.0, Spark, auto-start, auto-stop, tagged) and reused by
 * the next run, or one reused by id or name; one job run per run carrying the walkthrough's packages and S3 Tables
 * catalog configuration; the application stopped at the end when the app started it, and only then.
 */
class EmrServerlessCreatesReusesAndStopsTheApplicationTest extends EmrServerlessOnMotoTest {

    @Test
    void aRunCreatesTheApplicationRunsOneJobAndStopsTheApplication() throws Exception {
        moto.emrServerlessMode("complete", Map.of());
        LoadResult result;
        try (EmrServerlessLoadEngine engine = engine(properties())) {
            result = engine.load(EmrTestSetup.request("run-1", "ab".repeat(32)));
        }
        assertEquals(1234567890L, result.snapshotId(), "from the LOAD_SUMMARY of the driver's stdout");

        Application application = serverless.getApplication(b -> b.applicationId(onlyApplication())).application();
        assertEquals("s3tables-pipeline", application.name());
        assertEquals("emr-7.5.0", application.releaseLabel());
        assertEquals("SPARK", application.type().toUpperCase(java.util.Locale.ROOT));
        assertTrue(application.autoStartConfiguration().enabled());
        assertTrue(application.autoStopConfiguration().enabled());
        assertEquals(15, application.autoStopConfiguration().idleTimeoutMinutes());
        assertEquals("s3tables-pipeline", application.tags().get("app"));
        assertEquals(ApplicationState.STOPPED, application.state(), "the app started it, so it stopped it");

        List<JobRunSummary> runs = serverless.listJobRuns(b -> b.applicationId(application.applicationId()))
                .jobRuns();
        assertEquals(1, runs.size());
        JobRun run = jobRun(application.applicationId(), runs.get(0).id());
        assertEquals(JobRunState.SUCCESS, run.state());
        assertEquals(ROLE, run.executionRole());
        var driver = run.jobDriver().sparkSubmit();
        assertEquals("s3://" + EmrTestSetup.BUCKET + "/load_to_iceberg.py", driver.entryPoint());
        assertEquals("--packages org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.6.1,"
                     + "software.amazon.s3tables:s3-tables-catalog-for-iceberg:0.1.0"
                     + " --conf spark.sql.catalog.s3tablesbucket=org.apache.iceberg.spark.SparkCatalog"
                     + " --conf spark.sql.catalog.s3tablesbucket.catalog-impl="
                     + "software.amazon.s3tables.iceberg.S3TablesCatalog"
                     + " --conf spark.sql.catalog.s3tablesbucket.warehouse=" + EmrTestSetup.TABLE_BUCKET_ARN
                     + " --conf spark.sql.extensions="
                     + "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
                     driver.sparkSubmitParameters());
        assertEquals(List.of("--input", EmrTestSetup.PARQUET, "--catalog", "s3tablesbucket", "--namespace", "data",
                             "--table", "products", "--mode", "overwrite", "--input-sha256", "ab".repeat(32),
                             "--run-id", "run-1"), driver.entryPointArguments());
        assertEquals(LOG_URI, run.configurationOverrides().monitoringConfiguration().s3MonitoringConfiguration()
                .logUri());
        assertFalse(Files.exists(EmrServerlessRunState.file(stateDir(), "run-1")), "run state removed");
    }

    @Test
    void aCsvConvertedOnSparkGoesToTheJobRunWithItsConvertSpecAndRejects() throws Exception {
        moto.emrServerlessMode("complete", Map.of());
        String csv = EmrTestSetup.CSV;
        LoadRequest request = EmrTestSetup.csvConvertedOnSpark();
        try (EmrServerlessLoadEngine engine = engine(properties())) {
            engine.load(request);
        }

        String application = onlyApplication();
        List<JobRunSummary> runs = serverless.listJobRuns(b -> b.applicationId(application)).jobRuns();
        assertEquals(1, runs.size());
        assertEquals(List.of("--input", csv, "--catalog", "s3tablesbucket", "--namespace", "data", "--table",
                             "products", "--mode", "overwrite", "--input-sha256", "sha-of-run-1", "--run-id", "run-1",
                             "--convert-spec", request.csv().specUri(), "--rejects", request.csv().rejectsUri()),
                     jobRun(application, runs.get(0).id()).jobDriver().sparkSubmit().entryPointArguments());
    }

    @Test
    void aSecondRunReusesTheApplicationItCreated() throws Exception {
        moto.emrServerlessMode("complete", Map.of());
        try (EmrServerlessLoadEngine engine = engine(properties())) {
            engine.load(EmrTestSetup.request("run-1"));
        }
        try (EmrServerlessLoadEngine restarted = engine(properties())) {
            restarted.load(EmrTestSetup.request("run-2"));
        }
        String id = onlyApplication();
        assertEquals(1, moto.emrServerlessCalls("CreateApplication"));
        assertEquals(2, serverless.listJobRuns(b -> b.applicationId(id)).jobRuns().size());
        assertEquals(2, moto.emrServerlessCalls("StartApplication"), "started for each run");
        assertEquals(ApplicationState.STOPPED, applicationState(id));
    }

    @Test
    void anApplicationGivenByIdThatSomeoneElseStartedKeepsRunning() throws Exception {
        String id = serverless.createApplication(b -> b.name("team-spark").releaseLabel("emr-7.5.0").type("SPARK"))
                .applicationId();
        serverless.startApplication(b -> b.applicationId(id));
        moto.emrServerlessMode("complete", Map.of());
        Map<String, String> p = properties();
        p.put("pipeline.emrServerless.applicationId", id);
        try (EmrServerlessLoadEngine engine = engine(p)) {
            engine.load(EmrTestSetup.request("run-1"));
        }
        assertEquals(1, moto.emrServerlessCalls("CreateApplication"), "only the test's");
        assertEquals(ApplicationState.STARTED, applicationState(id), "not the app's to stop");
        assertEquals(1, serverless.listJobRuns(b -> b.applicationId(id)).jobRuns().size());
    }

    @Test
    void anApplicationReusedByNameIsStartedForTheRunAndStoppedAfter() throws Exception {
        String id = serverless.createApplication(b -> b.name("team-spark").releaseLabel("emr-7.5.0").type("SPARK"))
                .applicationId();
        moto.emrServerlessMode("complete", Map.of());
        Map<String, String> p = properties();
        p.put("pipeline.emrServerless.reuseApplicationName", "team-spark");
        try (EmrServerlessLoadEngine engine = engine(p)) {
            engine.load(EmrTestSetup.request("run-1"));
        }
        assertEquals(1, moto.emrServerlessCalls("StartApplication"));
        assertEquals(ApplicationState.STOPPED, applicationState(id));
        assertEquals(1, serverless.listJobRuns(b -> b.applicationId(id)).jobRuns().size());
    }

    @Test
    void anApplicationAnotherJobRunStillUsesIsNotStopped() throws Exception {
        String id = serverless.createApplication(b -> b.name("team-spark").releaseLabel("emr-7.5.0").type("SPARK"))
                .applicationId();
        moto.emrServerlessMode("manual", Map.of()); // someone else's job run: RUNNING
        serverless.startJobRun(b -> b.applicationId(id).executionRoleArn(ROLE).name("theirs")
                .jobDriver(d -> d.sparkSubmit(s -> s.entryPoint("s3://elsewhere/job.py"))));
        serverless.stopApplication(b -> b.applicationId(id)); // as if stopped: the run starts it again
        moto.emrServerlessMode("complete", Map.of());
        Map<String, String> p = properties();
        p.put("pipeline.emrServerless.applicationId", id);
        try (EmrServerlessLoadEngine engine = engine(p)) {
            engine.load(EmrTestSetup.request("run-1"));
        }
        assertEquals(ApplicationState.STARTED, applicationState(id), "their job run still runs on it");
    }
}
