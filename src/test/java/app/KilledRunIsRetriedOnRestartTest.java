package app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import bench.ConvertBenchmark;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import config.TableConfig;
import lake.IcebergTables;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ApplicationProcess;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real process killed with SIGKILL once its upload is in S3, before or while it commits; a restart on the same data
 * dir finds the dropped file still in the inbox and loads it (or, if the commit made it, skips it as already loaded):
 * the table holds the input's rows exactly once and the input ends in {@code .done/}.
 */
class KilledRunIsRetriedOnRestartTest {

    private static final long ROWS = 1_000_000;

    @TempDir
    Path dir;

    private ApplicationProcess.Running app;

    @AfterEach
    void killApp() throws InterruptedException {
        if (app != null) {
            app.kill();
        }
    }

    @Test
    void killedBetweenUploadAndCommitThenRestarted() throws Exception {
        Path data = dir.resolve("data");
        Path inbox = Files.createDirectories(data.resolve("inbox"));
        Path staged = dir.resolve("big.csv");
        ConvertBenchmark.generate(staged, ROWS, 11);
        Files.move(staged, inbox.resolve("big.csv"));

        app = ApplicationProcess.start(data, List.of(), Map.of());
        Path uploaded = data.resolve("s3").resolve("s3-general-purpose-ecommerce").resolve("data")
                .resolve("products.parquet");
        await("the upload of big.csv in " + uploaded).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(uploaded));
        app.kill();
        assertTrue(Files.exists(inbox.resolve("big.csv")), "the killed run's input stays in the inbox");

        app = ApplicationProcess.start(data, List.of(), Map.of());
        Path runs = data.resolve("runs");
        await("a finished run of big.csv after the restart").atMost(Duration.ofMinutes(3))
                .until(() -> report(runs) != null);
        JsonNode report = report(runs);
        assertTrue(List.of("SUCCEEDED", "SKIPPED").contains(report.get("status").asText()), report.toString());
        assertTrue(Files.exists(inbox.resolve(".done").resolve("big.csv")), "the input ends in .done/");

        Table table = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, data.resolve("warehouse"), null,
                "data", "products", TableConfig.Mode.OVERWRITE, TableConfig.SchemaEvolution.NONE));
        assertEquals(String.valueOf(ROWS), table.currentSnapshot().summary().get("total-records"),
                "the table holds the input once: " + table.currentSnapshot().summary());
    }

    private static JsonNode report(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return null;
        }
        try (Stream<Path> files = Files.list(runs)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode report = new ObjectMapper().readTree(file.toFile());
                if ("big.csv".equals(report.path("source").asText())) {
                    return report;
                }
            }
        }
        return null;
    }
}
