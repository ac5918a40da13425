package app;

import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.PipelineConfig;
import lake.IcebergTables;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * In append mode, a source that goes A -> B -> A: the poller fetches A again (it is not the last loaded content), and
 * the run ends SKIPPED naming the snapshot and run that appended A, so the table keeps A's rows once.
 */
class PollerServingAnEarlierInputAgainTest extends HttpSourceTestSupport {

    @Override
    protected Properties sourceProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.source.pollInterval", "300ms");
        p.setProperty("pipeline.table.mode", "append");
        return p;
    }

    @Test
    void theSameBytesServedAgainAreSkipped() throws Exception {
        String a = sampleCsv();
        source.serve(SOURCE_PATH, Response.csv(a)).start();
        JsonNode firstA = awaitReport();
        assertEquals("SUCCEEDED", firstA.get("status").asText(), firstA.toString());

        source.serve(SOURCE_PATH, Response.csv(sampleCsvWithIdsFrom(100)));
        JsonNode b = awaitReport(report -> !report.get("runId").equals(firstA.get("runId")), RUN_LIMIT);
        assertEquals("SUCCEEDED", b.get("status").asText(), b.toString());

        source.serve(SOURCE_PATH, Response.csv(a));
        JsonNode secondA = awaitReport(report -> !report.get("runId").equals(firstA.get("runId"))
                && !report.get("runId").equals(b.get("runId")), RUN_LIMIT);
        assertEquals("SKIPPED", secondA.get("status").asText(), secondA.toString());
        assertEquals("already loaded in snapshot " + firstA.get("snapshotId").asLong() + " by run "
                + firstA.get("runId").asText() + " (load ledger data.products_loads)", secondA.get("reason").asText());
        assertEquals("40", IcebergTables.load(context.getRegistry().findSingleByType(PipelineConfig.class).table())
                .currentSnapshot().summary().get("total-records"));
    }
}
