package app;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import bench.ConvertBenchmark;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import config.TableConfig;
import lake.IcebergTables;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import support.ApplicationProcess;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real process killed with SIGKILL during its convert, during its upload, or just after its commit; a restart on the
 * same data dir finds the dropped file still in the inbox and loads it (or, when the commit made it, skips it as
 * already loaded): the table holds the input's rows exactly once, no data file is left that no snapshot references,
 * and the input ends in {@code .done/}.
 */
class KilledRunIsRetriedOnRestartTest {

    private static final long ROWS = 1_000_000;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private ApplicationProcess.Running app;

    /** When the first process is killed, told by what it has written so far. */
    enum KillPoint {
        DURING_CONVERT(data -> anyFile(data.resolve("work"), name -> name.endsWith(".parquet"))),
        DURING_UPLOAD(data -> Files.exists(data.resolve("s3").resolve("s3-general-purpose-ecommerce")
                .resolve("data").resolve("products.parquet"))),
        // the load's commit creates the table with its first snapshot: v1
        AFTER_COMMIT(data -> Files.exists(metadata(data).resolve("v1.metadata.json")));

        final Predicate<Path> reached;

        KillPoint(Predicate<Path> reached) {
            this.reached = reached;
        }
    }

    @BeforeAll
    static void generateInput() throws IOException {
        ConvertBenchmark.generate(shared.resolve("big.csv"), ROWS, 11);
    }

    @AfterEach
    void killApp() throws InterruptedException {
        if (app != null) {
            app.kill();
        }
    }

    @ParameterizedTest
    @EnumSource(KillPoint.class)
    void killedThenRestarted(KillPoint point) throws Exception {
        Path data = dir.resolve("data");
        Path inbox = Files.createDirectories(data.resolve("inbox"));
        Files.copy(shared.resolve("big.csv"), dir.resolve("big.csv"));
        Files.move(dir.resolve("big.csv"), inbox.resolve("big.csv"));

        app = ApplicationProcess.start(data, List.of(), Map.of());
        await(point + " of big.csv").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(10))
                .until(() -> point.reached.test(data));
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
        assertEquals(referencedDataFiles(table), dataFilesOnDisk(data), "every data file belongs to a snapshot");
    }

    private static Path metadata(Path data) {
        return data.resolve("warehouse").resolve("data").resolve("products").resolve("metadata");
    }

    private static Set<Path> referencedDataFiles(Table table) throws IOException {
        Set<Path> files = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            for (ManifestFile manifest : snapshot.dataManifests(table.io())) {
                try (CloseableIterable<DataFile> entries = ManifestFiles.read(manifest, table.io())) {
                    for (DataFile file : entries) {
                        String location = file.location();
                        files.add(location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location));
                    }
                }
            }
        }
        return files;
    }

    private static Set<Path> dataFilesOnDisk(Path data) throws IOException {
        Path folder = data.resolve("warehouse").resolve("data").resolve("products").resolve("data");
        try (Stream<Path> files = Files.walk(folder)) {
            Set<Path> result = new HashSet<>();
            files.filter(f -> f.getFileName().toString().endsWith(".parquet")).forEach(result::add);
            return result;
        }
    }

    private static boolean anyFile(Path folder, Predicate<String> name) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.anyMatch(f -> name.test(f.getFileName().toString()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // the run moved or deleted a file while it was listed: look again
        }
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
