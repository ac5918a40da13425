package app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import support.ApplicationProcess;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three objects wait under an S3 prefix of the embedded server when a real process starts; it is stopped (SIGTERM)
 * or killed (SIGKILL) once the first run has ended, and started again on the same data dir: every object is loaded
 * once, in key order, the table holds each object's rows once, and the three end in {@code .done/}.
 */
class S3SourceRestartLosesAndDoublesNothingTest {

    private static final long ROWS = 200_000;
    private static final List<String> NAMES = List.of("2026-12-05.csv", "2026-12-06.csv", "2026-12-07.csv");
    private static final String OBJECTS = "s3/s3-general-purpose-ecommerce/landing/products";

    @TempDir
    Path dir;

    private ApplicationProcess.Running app;

    /** How the first process ends. */
    enum Ending { STOPPED, KILLED }

    @AfterEach
    void killApp() throws InterruptedException {
        if (app != null) {
            app.kill();
        }
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void restartInTheMiddleLosesAndDoublesNothing(Ending ending) throws Exception {
        Path data = dir.resolve("data");
        // the embedded server keeps its objects as files under data/s3/<bucket>/: written there whole, then moved in
        Path prefix = Files.createDirectories(data.resolve(OBJECTS));
        for (int i = 0; i < NAMES.size(); i++) {
            Path written = dir.resolve(NAMES.get(i));
            ConvertBenchmark.generate(written, ROWS, 11 + i);
            Files.move(written, prefix.resolve(NAMES.get(i)));
        }
        List<String> jvm = List.of(
                "-Dpipeline.s3source.url=s3://s3-general-purpose-ecommerce/landing/products/",
                "-Dpipeline.s3source.pollInterval=1s",
                "-Dpipeline.inbox.enabled=false",
                "-Dpipeline.table.mode=append");
        Path runs = data.resolve("runs");

        app = ApplicationProcess.start(data, jvm, Map.of());
        await("the first run's report").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> !reports(runs).isEmpty());
        if (ending == Ending.KILLED) {
            app.kill();
        } else {
            app.process().destroy();
            app.awaitExit(Duration.ofMinutes(2));
        }
        List<JsonNode> before = reports(runs);

        app = ApplicationProcess.start(data, jvm, Map.of());
        Path done = data.resolve(OBJECTS).resolve(".done");
        await("the three objects in .done/").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
                .until(() -> NAMES.stream().allMatch(name -> Files.exists(done.resolve(name))));
        app.process().destroy();
        app.awaitExit(Duration.ofMinutes(2));

        List<JsonNode> all = reports(runs);
        String first = "s3://s3-general-purpose-ecommerce/landing/products/" + NAMES.get(0);
        assertEquals(first, all.get(0).path("source").asText(), "the first key first: " + all);
        List<String> loadedOnce = new ArrayList<>();
        for (String name : NAMES) {
            String source = "s3://s3-general-purpose-ecommerce/landing/products/" + name;
            List<JsonNode> ofObject = all.stream().filter(r -> source.equals(r.path("source").asText())).toList();
            assertEquals(1, ofObject.stream().filter(r -> "SUCCEEDED".equals(r.path("status").asText())).count(),
                    source + ": " + ofObject);
            assertTrue(ofObject.stream().allMatch(r -> List.of("SUCCEEDED", "SKIPPED")
                    .contains(r.path("status").asText())), source + ": " + ofObject);
            loadedOnce.add(name);
        }
        assertEquals(NAMES, loadedOnce);
        try (Stream<Path> left = Files.list(data.resolve(OBJECTS))) {
            assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "nothing left under the prefix");
        }
        assertTrue(!Files.exists(data.resolve(OBJECTS).resolve(".failed")), "nothing failed: " + all);
        Table table = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, data.resolve("warehouse"), null,
                "data", "products", TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE));
        assertEquals(String.valueOf(3 * ROWS), table.currentSnapshot().summary().get("total-records"),
                "each object's rows once (" + before.size() + " run(s) before the " + ending + " process ended): "
                + table.currentSnapshot().summary());
    }

    /** The run reports, in the order the runs started. */
    private static List<JsonNode> reports(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        List<JsonNode> reports = new ArrayList<>();
        try (Stream<Path> files = Files.list(runs)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                reports.add(new ObjectMapper().readTree(file.toFile()));
            }
        }
        reports.sort(java.util.Comparator.comparing(r -> r.path("startedAt").asText()));
        return reports;
    }
}
