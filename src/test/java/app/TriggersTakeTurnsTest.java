package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two files in the inbox while the poller fetches a third input, in append mode: the three runs take turns on the
 * table, and it ends with each input's rows exactly once, none lost or overwritten.
 */
class TriggersTakeTurnsTest extends PipelineTestSupport {

    private CsvHttpServer source;

    @Override
    protected Properties testProperties() {
        source = CsvHttpServer.bind();
        Properties p = fastInbox();
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        p.setProperty("pipeline.table.mode", "append");
        p.setProperty("pipeline.source.url", source.url("/products.csv"));
        p.setProperty("pipeline.source.pollInterval", "1h");
        // every run prints what the table holds
        p.setProperty("pipeline.query.sql",
                "SELECT product_id FROM \"data\".\"products\" ORDER BY product_id");
        return p;
    }

    @AfterEach
    void stopAppThenSource() {
        context.stop();
        source.close();
    }

    @Test
    void threeInputsFromTwoTriggersAreEachLoadedOnce() throws Exception {
        drop("a.csv", sampleCsvWithIdsFrom(0).getBytes(StandardCharsets.UTF_8));
        drop("b.csv", sampleCsvWithIdsFrom(100).getBytes(StandardCharsets.UTF_8));
        source.serve("/products.csv", CsvHttpServer.Response.csv(sampleCsvWithIdsFrom(200))).start();

        List<JsonNode> reports = awaitReports(3, Duration.ofSeconds(60));
        for (JsonNode report : reports) {
            assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        }
        assertEquals(Set.of("file", "http"), Set.copyOf(reports.stream().map(r -> r.get("trigger").asText()).toList()));
        JsonNode last = reports.stream().max((x, y) -> Long.compare(x.path("query").get("rows").asLong(),
                y.path("query").get("rows").asLong())).orElseThrow();
        assertEquals(60, last.path("query").get("rows").asLong(), last.toString());
        Set<Integer> ids = new TreeSet<>();
        Path results = Path.of(last.path("query").path("resultsFile").asText());
        for (String line : Files.readAllLines(results).subList(1, 61)) {
            ids.add(Integer.parseInt(line));
        }
        Set<Integer> expected = new TreeSet<>();
        for (int i = 1; i <= 20; i++) {
            expected.addAll(List.of(i, i + 100, i + 200));
        }
        assertEquals(expected, ids, "every input's rows exactly once");
    }
}
