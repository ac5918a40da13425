package app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import config.TableConfig;
import lake.IcebergTables;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import support.ApplicationProcess;
import support.ApplicationProcess.Result;
import support.TableRows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real app in a child JVM: a {@code pipeline.query.sql} of two statements, the second writing a file, is refused
 * at start-up (exit 2) and writes nothing; a query that fails after the commit leaves the run SUCCEEDED, its report's
 * {@code query.status} FAILED with why, the rows in the table, and the one-shot's exit code 3.
 */
class QueryIsOneReadingStatementAndNeverFailsTheLoadTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dataDir;
    private Path sample;

    @BeforeEach
    void freshDataDir() throws IOException {
        Path root = Files.createDirectories(Path.of("target", "test-data"));
        dataDir = Files.createTempDirectory(root, getClass().getSimpleName() + "-").toAbsolutePath().resolve("data");
        sample = Path.of("samples/products.csv").toAbsolutePath();
    }

    @Test
    void aSecondStatementThatWritesIsRefusedAtStartup() throws Exception {
        Path written = dataDir.getParent().resolve("x.csv");

        Result result = ApplicationProcess.run(dataDir, List.of("-Dpipeline.once=" + sample,
                "-Dpipeline.query.sql=SELECT 1; COPY (SELECT 42) TO '" + written + "'"), Map.of(), TIMEOUT);

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("pipeline.query.sql must be one statement that only reads"),
                result.output());
        assertFalse(Files.exists(written), "nothing of the query ran");
        assertFalse(Files.exists(dataDir.resolve("runs")), "no run started: " + result.output());
    }

    @Test
    void aQueryThatFailsAfterTheCommitLeavesTheRunSucceeded() throws Exception {
        Result result = ApplicationProcess.run(dataDir, List.of("-Dpipeline.once=" + sample,
                "-Dpipeline.query.sql=SELECT * FROM \"data\".\"no_such_table\""), Map.of(), TIMEOUT);

        assertEquals(OneShotCompletion.QUERY_FAILED, result.exitCode(), result.output());
        JsonNode report = onlyReport();
        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertFalse(report.has("error"), "the run itself did not fail: " + report);
        assertEquals("FAILED", report.path("query").path("status").asText(), report.toString());
        assertTrue(report.path("query").path("error").asText().contains("no_such_table"), report.toString());
        assertTrue(result.stdout().lines().anyMatch(line -> line.contains(" SUCCEEDED trigger=once ")
                                                            && line.contains(" query=FAILED ")), result.output());
        TableConfig table = new TableConfig(TableConfig.Catalog.HADOOP, dataDir.resolve("warehouse"), null, "data",
                "products", TableConfig.Mode.OVERWRITE, TableConfig.SchemaEvolution.NONE);
        assertEquals(20, TableRows.read(IcebergTables.load(table)).size(), "the load is committed");
    }

    private JsonNode onlyReport() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("runs"))) {
            List<Path> reports = files.filter(f -> f.toString().endsWith(".json")).toList();
            assertEquals(1, reports.size(), reports.toString());
            return JSON.readTree(reports.get(0).toFile());
        }
    }
}
