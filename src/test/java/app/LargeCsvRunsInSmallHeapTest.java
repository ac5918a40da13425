package app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import bench.ConvertBenchmark;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A generated CSV of about 300 MB goes through the whole local pipeline (convert, embedded S3 upload, embedded Iceberg
 * load, DuckDB query) in a child JVM with a 128 MB heap: no stage holds the input or the output in memory.
 */
class LargeCsvRunsInSmallHeapTest {

    private static final long ROWS = 7_000_000;

    @TempDir
    Path dir;

    @Test
    void threeHundredMegabytesThroughA128MegabyteHeap() throws Exception {
        Path csv = dir.resolve("large.csv");
        ConvertBenchmark.generate(csv, ROWS, 7);
        assertTrue(Files.size(csv) > 280_000_000L, "the CSV is " + Files.size(csv) + " bytes");
        Path data = dir.resolve("data");
        Path log = dir.resolve("child.log");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        // an OutOfMemoryError in any thread ends the run at once instead of leaving it waiting
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Dpipeline.once=" + csv);
        command.add("-Dpipeline.data.dir=" + data);
        // an aggregate, so the results CSV is one row whatever the input
        command.add("-Dpipeline.query.sql=SELECT count(*) AS n, sum(product_id) AS s FROM \"data\".\"products\"");
        command.add("-Dpipeline.query.resultsDir=" + data.resolve("results"));
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(Application.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!child.waitFor(5, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            fail("the run did not end within 5 minutes; its log ends with:\n" + tail(log));
        }
        Files.delete(csv);

        if (child.exitValue() != 0) {
            fail("exit code " + child.exitValue() + "; the log ends with:\n" + tail(log));
        }
        JsonNode report = report(data.resolve("runs"));
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        assertEquals(ROWS, report.get("rowsRead").asLong());
        assertEquals(ROWS, report.get("rowsWritten").asLong());
        assertEquals(1, report.path("query").get("rows").asLong());
        List<String> results = Files.readAllLines(Path.of(report.path("query").path("resultsFile").asText()));
        assertEquals(List.of("n,s", ROWS + "," + ROWS * (ROWS + 1) / 2), results);
    }

    private static JsonNode report(Path runs) throws IOException {
        try (Stream<Path> files = Files.list(runs)) {
            List<Path> reports = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertEquals(1, reports.size(), reports.toString());
            return new ObjectMapper().readTree(reports.get(0).toFile());
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
