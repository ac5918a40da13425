package app;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import support.ApplicationProcess;
import support.ApplicationProcess.Result;
import support.SmallDisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real app with its data dir on a 5 MB file system, given a CSV whose Parquet does not fit: the run ends FAILED
 * with its report written, the report names the file it could not write and the space left, and no half-written
 * {@code .partial} stays. Once space is freed, the same input loads, once.
 */
class FullDiskStillGetsItsReportTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 300_000;

    private Path root;
    private SmallDisk disk;

    @BeforeEach
    void smallDataDir() throws Exception {
        root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")),
                getClass().getSimpleName() + "-").toAbsolutePath();
        disk = SmallDisk.mount(root.resolve("data"), "5m");
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void theFailedRunIsReportedAndTheSameInputLoadsOnceThereIsRoom() throws Exception {
        Path csv = incompressibleCsv(root.resolve("products.csv"));
        Path dataDir = disk.path();
        List<String> once = List.of("-Dpipeline.once=" + csv);

        Result full = ApplicationProcess.run(dataDir, once, Map.of(), TIMEOUT);

        assertEquals(1, full.exitCode(), full.output());
        JsonNode failed = onlyReport(dataDir);
        assertEquals("FAILED", failed.path("status").asText(), failed.toString());
        String message = failed.path("error").path("message").asText();
        assertTrue(message.contains("No space left on device") && message.contains(dataDir.toString())
                   && message.contains(" free of "), "the path and the space left are named: " + message);
        assertEquals(List.of(), partials(dataDir), "no half-written file stays");

        disk.resize("200m");
        Result roomy = ApplicationProcess.run(dataDir, once, Map.of(), TIMEOUT);

        assertEquals(0, roomy.exitCode(), roomy.output());
        List<JsonNode> reports = reports(dataDir);
        assertEquals(2, reports.size(), reports.toString());
        JsonNode loaded = reports.stream().filter(r -> "SUCCEEDED".equals(r.path("status").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no SUCCEEDED run: " + reports + roomy.output()));
        assertEquals(ROWS, loaded.path("rowsWritten").asLong(), loaded.toString());
        assertEquals(ROWS, loaded.path("query").path("rows").asLong(), "the table holds the rows once: " + loaded);
        assertEquals(List.of(), partials(dataDir));
    }

    /** Rows whose names are random: their Parquet is several MB, more than the small disk holds. */
    private static Path incompressibleCsv(Path csv) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        byte[] name = new byte[24];
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("product_id,product_name,product_category,brand\n");
            for (int id = 1; id <= ROWS; id++) {
                random.nextBytes(name);
                out.write(id + "," + HexFormat.of().formatHex(name) + ",Category " + random.nextInt(40) + ",Brand "
                          + random.nextInt(300) + "\n");
            }
        }
        return csv;
    }

    private static JsonNode onlyReport(Path dataDir) throws IOException {
        List<JsonNode> reports = reports(dataDir);
        assertEquals(1, reports.size(), reports.toString());
        return reports.get(0);
    }

    private static List<JsonNode> reports(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("runs"))) {
            List<Path> json = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
            List<JsonNode> reports = new java.util.ArrayList<>();
            for (Path file : json) {
                reports.add(JSON.readTree(file.toFile()));
            }
            return reports;
        }
    }

    private static List<Path> partials(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList();
        }
    }
}
