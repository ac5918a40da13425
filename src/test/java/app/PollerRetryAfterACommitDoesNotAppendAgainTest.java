package app;

import java.nio.file.Files;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.PipelineConfig;
import lake.IcebergTables;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Append mode, a results folder that cannot be written, a poller ticking. The first run commits its rows, then its
 * query fails: the run is SUCCEEDED with the query FAILED, and the content is settled, so later ticks find it
 * unchanged. The table keeps the rows once instead of gaining them on every tick.
 */
class PollerRetryAfterACommitDoesNotAppendAgainTest extends HttpSourceTestSupport {

    @Override
    protected Properties sourceProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.source.pollInterval", "300ms");
        p.setProperty("pipeline.table.mode", "append");
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        return p;
    }

    @Test
    void theRowsStayOnceWhateverTheTicks() throws Exception {
        Files.writeString(dataDir.resolve("results"), "a file where the results folder should be");
        source.serve(SOURCE_PATH, Response.csv(sampleCsv())).start();

        JsonNode first = awaitReports(1, RUN_LIMIT).get(0);
        assertEquals("SUCCEEDED", first.get("status").asText(), first.toString());
        assertEquals("FAILED", first.at("/query/status").asText(), first.toString());

        int asked = source.requests(SOURCE_PATH).size();
        source.awaitRequests(SOURCE_PATH, asked + 3, RUN_LIMIT);
        assertEquals(1, reports().size(), "later ticks find the content settled: " + reports());
        assertEquals("20", IcebergTables.load(context.getRegistry().findSingleByType(PipelineConfig.class).table())
                .currentSnapshot().summary().get("total-records"));
    }
}
