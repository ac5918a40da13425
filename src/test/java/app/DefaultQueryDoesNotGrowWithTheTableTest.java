package app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.stream.Stream;

import bench.ConvertBenchmark;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole app with the default query, appending: each run prints the table's first rows and its row count and
 * writes no results file, so six appends of 200,000 rows leave {@code results/} under 1 MB (it used to hold every
 * row of every run's table, growing quadratically).
 */
class DefaultQueryDoesNotGrowWithTheTableTest extends PipelineTestSupport {

    private static final int ROWS = 200_000;
    private static final int APPENDS = 6;

    @Override
    protected Properties testProperties() {
        Properties p = fastInbox();
        p.setProperty("pipeline.table.mode", "append");
        return p;
    }

    @Test
    void sixAppendsLeaveNoResultsDump() throws Exception {
        Path staging = Files.createDirectories(dataDir.resolve("generated"));
        for (int i = 1; i <= APPENDS; i++) {
            Path csv = staging.resolve("append-" + i + ".csv");
            ConvertBenchmark.generate(csv, ROWS, i);
            drop(csv.getFileName().toString(), Files.readAllBytes(csv));
            Files.delete(csv);
            JsonNode report = awaitReportOfDrop(csv.getFileName().toString(), Duration.ofSeconds(120));

            assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
            JsonNode query = report.path("query");
            assertEquals("SUCCEEDED", query.path("status").asText(), report.toString());
            assertEquals((long) ROWS * i, query.path("rows").asLong(), "the table's row count: " + report);
            assertFalse(query.has("resultsFile"), "no results file unless asked for: " + report);
        }

        long resultsBytes = bytesUnder(dataDir.resolve("results"));
        assertTrue(resultsBytes < 1_000_000, "results/ holds " + resultsBytes + " bytes");
    }

    private static long bytesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }
}
