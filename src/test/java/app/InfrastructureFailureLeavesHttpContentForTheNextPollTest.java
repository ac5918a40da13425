package app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import emr.MotoHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;

/**
 * A run that fails for the infrastructure's sake (here Athena, on moto, fails the query) is not recorded as bad data:
 * the poller fetches the same content again on its next tick. The failed run had committed its rows before the query,
 * so the retry finds its input in the table and ends SKIPPED naming that commit, without loading it twice.
 */
@ExtendWith(MotoHarness.class)
class InfrastructureFailureLeavesHttpContentForTheNextPollTest extends HttpSourceTestSupport {

    @Override
    protected Properties sourceProperties() {
        MotoHarness moto = MotoHarness.current();
        Properties p = new Properties();
        p.setProperty("pipeline.source.pollInterval", "300ms");
        p.setProperty("pipeline.query.engine", "athena");
        p.setProperty("pipeline.athena.endpoint", moto.endpoint().toString());
        p.setProperty("pipeline.athena.region", MotoHarness.REGION);
        p.setProperty("pipeline.athena.catalog", "AwsDataCatalog");
        p.setProperty("pipeline.athena.outputLocation", "s3://athena-results/queries");
        p.setProperty("pipeline.athena.pollInterval", "100ms");
        p.setProperty("pipeline.athena.waitTimeout", "10s");
        return p;
    }

    @Test
    void failedAthenaQueryLeavesTheContentAndTheNextPollLoadsIt() throws Exception {
        MotoHarness moto = MotoHarness.current();
        moto.reset();
        moto.athenaMode("fail", Map.of("reason", "INTERNAL_ERROR_QUERY_ENGINE: Amazon Athena experienced an"
                                                  + " internal error"));
        String csv = sampleCsv();
        source.serve(SOURCE_PATH, Response.csv(csv)).start();

        JsonNode failed = awaitReport();
        assertEquals("FAILED", failed.path("status").asText(), failed.toString());
        assertEquals("query", failed.path("error").path("stage").asText(), failed.toString());
        assertTrue(failed.path("error").path("message").asText().contains("INTERNAL_ERROR_QUERY_ENGINE"),
                   failed.toString());

        JsonNode retried = awaitReport(r -> !r.path("runId").equals(failed.path("runId")), Duration.ofSeconds(60));
        assertEquals(failed.path("sha256").asText(), retried.path("sha256").asText(), "the same content, again");
        assertEquals("SKIPPED", retried.path("status").asText(), retried.toString());
        assertEquals("already loaded in snapshot " + failed.path("snapshotId").asLong() + " by run "
                     + failed.path("runId").asText(), retried.path("reason").asText());
    }
}
