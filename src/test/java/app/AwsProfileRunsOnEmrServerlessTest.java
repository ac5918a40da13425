package app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import emr.MotoHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.ApplicationState;
import software.amazon.awssdk.services.emrserverless.model.ApplicationSummary;
import support.PipelineTestSupport;

/**
 * The aws profile with pipeline.engine=emr-serverless, the whole app against moto: the Parquet uploaded, one
 * application created, one job run (ended by moto's controller with the job's summary), Athena's count and query,
 * the run SUCCEEDED and the application stopped.
 */
@ExtendWith(MotoHarness.class)
class AwsProfileRunsOnEmrServerlessTest extends PipelineTestSupport {

    private MotoHarness moto;

    @Override
    protected String profile() {
        return "aws";
    }

    @Override
    protected Properties testProperties() {
        moto = MotoHarness.current();
        moto.reset();
        Properties p = moto.awsProfileProperties();
        p.setProperty("pipeline.engine", "emr-serverless");
        p.setProperty("pipeline.emrServerless.endpoint", moto.endpoint().toString());
        p.setProperty("pipeline.emrServerless.executionRoleArn",
                      "arn:aws:iam::123456789012:role/EMRServerlessS3TablesJobRole");
        p.setProperty("pipeline.emrServerless.logUri", "s3://s3-general-purpose-ecommerce/emr-serverless-logs");
        p.setProperty("pipeline.emrServerless.waitInterval", "100ms");
        p.setProperty("pipeline.emrServerless.waitTimeout", "120s");
        p.setProperty("pipeline.athena.pollInterval", "100ms");
        p.setProperty("pipeline.once", samplePath().toString());
        moto.emrServerlessMode("complete", Map.of("snapshotId", "424242"));
        moto.queueAthenaResult(List.of("_col0"), List.of(List.of("20")));
        try {
            moto.queueAthenaResult(List.of("product_id", "product_name", "product_category", "brand"),
                                   new ArrayList<>(sampleRows()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }

    @Test
    void theRunLoadsThroughAJobRunAndStopsTheApplicationItStarted() throws Exception {
        JsonNode report = awaitReports(1, java.time.Duration.ofSeconds(120)).get(0);
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        assertEquals(424242L, report.get("snapshotId").asLong());
        try (EmrServerlessClient serverless = moto.emrServerless()) {
            List<ApplicationSummary> applications = serverless.listApplications(b -> { }).applications();
            assertEquals(1, applications.size());
            assertEquals(ApplicationState.STOPPED, applications.get(0).state());
            assertEquals(1, serverless.listJobRuns(b -> b.applicationId(applications.get(0).id())).jobRuns().size());
        }
    }
}
