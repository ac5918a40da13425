package app;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.PipelineConfig;
import lake.IcebergTables;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The case: append mode, a results folder that cannot be written, a poller ticking. The first run commits its
 * rows then fails in the query stage; the next tick fetches the same content again and ends SKIPPED naming that
 * commit, which settles the content: later ticks find it unchanged. The table keeps the rows once instead of gaining
 * them on every tick.
 */
class PollerRetryAfterACommitDoesNotAppendAgainTest extends HttpSourceTestSupport {

    @Override
    protected Properties sourceProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.source.pollInterval", "300ms");
        p.setProperty("pipeline.table.mode", "append");
        return p;
    }

    @Test
    void theRowsStayOnceWhateverTheTicks() throws Exception {
        Files.writeString(dataDir.resolve("results"), "a file where the results folder should be");
        source.serve(SOURCE_PATH, Response.csv(sampleCsv())).start();

        List<JsonNode> reports = awaitReports(2, Duration.ofSeconds(60));
        JsonNode failed = reports.get(0);
        assertEquals("FAILED", failed.get("status").asText(), failed.toString());
        assertEquals("query", failed.at("/error/stage").asText(), failed.toString());
        JsonNode retry = reports.get(1);
        assertEquals("SKIPPED", retry.get("status").asText(), retry.toString());
        assertEquals("already loaded in snapshot " + failed.get("snapshotId").asLong() + " by run "
                + failed.get("runId").asText(), retry.get("reason").asText());

        int asked = source.requests(SOURCE_PATH).size();
        source.awaitRequests(SOURCE_PATH, asked + 3, RUN_LIMIT);
        assertEquals(2, reports().size(), "later ticks find the content settled: " + reports());
        assertEquals("20", IcebergTables.load(context.getRegistry().findSingleByType(PipelineConfig.class).table())
                .currentSnapshot().summary().get("total-records"));
    }
}
