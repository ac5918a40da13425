package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole app with {@code pipeline.query.resultsDir} set: each run's whole answer (the table, with the default
 * query) is written to {@code <runId>.csv}, and the folder keeps the newest {@code pipeline.query.keepResults} of
 * them, leaving any other file of the user's alone.
 */
class ResultsFilesAreKeptOnlyWhenAskedForTest extends PipelineTestSupport {

    private Path results;

    @Override
    protected Properties testProperties() {
        results = dataDir.resolve("my-results");
        Properties p = fastInbox();
        p.setProperty("pipeline.table.mode", "append");
        p.setProperty("pipeline.table.reloadSameInput", "true");
        p.setProperty("pipeline.query.resultsDir", results.toString());
        p.setProperty("pipeline.query.keepResults", "2");
        return p;
    }

    @Test
    void theNewestTwoResultsFilesAreKept() throws Exception {
        Files.createDirectories(results);
        Files.writeString(results.resolve("notes.csv"), "mine\n");
        byte[] sample = Files.readAllBytes(samplePath());
        String newest = null;
        for (int i = 1; i <= 3; i++) {
            drop("products-" + i + ".csv", sample);
            JsonNode report = awaitReportOfDrop("products-" + i + ".csv", Duration.ofSeconds(60));
            assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
            newest = report.path("query").path("resultsFile").asText();
            assertEquals(results.resolve(report.path("runId").asText() + ".csv").toString(), newest, report.toString());
        }

        List<String> left;
        try (Stream<Path> files = Files.list(results)) {
            left = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertEquals(3, left.size(), "two results files and the user's own: " + left);
        assertTrue(left.contains("notes.csv"), left.toString());
        assertTrue(left.contains(Path.of(newest).getFileName().toString()), left.toString());
        assertEquals(61, Files.readAllLines(Path.of(newest)).size(), "the header and every row of the table");
    }
}
