package app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
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
 * the poller fetches the same content again on its next tick and loads it once Athena answers.
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

        // Athena answers again: the COUNT(*) that reconciles the table, then the query's rows
        int rows = sampleRows().size();
        moto.queueAthenaResult(List.of("_col0"), List.of(List.of(String.valueOf(rows))));
        moto.queueAthenaResult(List.of("product_id"), List.of(List.of("1")));
        moto.athenaMode("succeed", Map.of());

        JsonNode loaded = awaitReport(r -> "SUCCEEDED".equals(r.path("status").asText()), Duration.ofSeconds(60));
        assertEquals(failed.path("sha256").asText(), loaded.path("sha256").asText(), "the same content, again");
        assertEquals(rows, loaded.path("rowsWritten").asInt(), loaded.toString());
        for (JsonNode report : reports()) {
            if (!report.equals(loaded)) {
                assertEquals("FAILED", report.path("status").asText(), "only failures before it: " + report);
            }
        }
    }
}
