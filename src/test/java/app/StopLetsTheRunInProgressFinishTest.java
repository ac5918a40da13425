package app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import bench.ConvertBenchmark;
import config.TableConfig;
import lake.IcebergTables;
import org.apache.iceberg.Table;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import support.ApplicationProcess;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real application, stopped (SIGTERM) while a 2,000,000-row drop converts, lets that run finish: it ends
 * SUCCEEDED and the process then exits 0. Runs queued behind it do not start; they stay queued (their files in the
 * inbox) and are loaded after the restart, once each.
 */
class StopLetsTheRunInProgressFinishTest {

    private static final long ROWS = 2_000_000;
    private static final Duration LIMIT = Duration.ofSeconds(180);

    @Test
    void runInProgressFinishesAndQueuedRunsWaitForTheRestart() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "test-data"))
                .resolve("StopLetsTheRunFinish-" + System.nanoTime()).toAbsolutePath();
        Path dataDir = root.resolve("data");
        Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
        Path big = root.resolve("big.csv");
        ConvertBenchmark.generate(big, ROWS, 11);
        Path small = root.resolve("small.csv");
        ConvertBenchmark.generate(small, 1_000, 12);
        // two datasets on one table: the second one's run waits for the first one's, in the queue of the table
        List<String> settings = List.of("-Dpipeline.inbox.pollInterval=200ms", "-Dpipeline.inbox.readLockMinAge=100ms",
                "-Dpipeline.datasets=products,more", "-Dpipeline.dataset.more.convert.schema=classpath:schemas/products.avsc",
                "-Dpipeline.table.mode=append",
                // the stop waits for the run however slow a loaded machine makes its convert: the run, not 30 s, decides
                "-Dcamel.main.shutdownTimeout=120");
        Path productsInbox = Files.createDirectories(inbox.resolve("products"));
        Path moreInbox = Files.createDirectories(inbox.resolve("more"));

        ApplicationProcess.Running app = ApplicationProcess.start(dataDir, settings, java.util.Map.of());
        try {
            Files.move(big, productsInbox.resolve("big.csv"), StandardCopyOption.ATOMIC_MOVE);
            awaitOutput(app, "the convert to write its Parquet", () -> writingParquet(dataDir));
            Files.copy(small, moreInbox.resolve("small.csv"));
            awaitOutput(app, "the second run to wait for the first", () -> app.stdout().contains("waits for"));
        } catch (AssertionError e) {
            app.process().destroyForcibly();
            throw e;
        }
        assertFalse(app.stdout().contains("SUCCEEDED"), "the stop comes while the first run converts:\n"
                + app.stdout());
        app.process().destroy();
        ApplicationProcess.Result stopped = app.awaitExit(LIMIT);

        assertEquals(0, stopped.exitCode(), stopped.output());
        List<JsonNode> reports = reports(dataDir);
        assertEquals(1, reports.size(), "only the run in progress ends:\n" + stopped.output());
        assertEquals("SUCCEEDED", reports.get(0).path("status").asText(), reports.get(0) + "\n" + stopped.output());
        assertEquals(ROWS, reports.get(0).path("rowsWritten").asLong(), reports.get(0).toString());
        assertTrue(Files.exists(productsInbox.resolve(".done").resolve("big.csv")), stopped.output());
        assertTrue(Files.exists(moreInbox.resolve("small.csv")), "the queued run's file stays in the inbox:\n"
                + stopped.output());

        List<String> restart = new ArrayList<>(settings);
        restart.add("-Dcamel.main.durationMaxMessages=1");
        ApplicationProcess.Result again = ApplicationProcess.run(dataDir, restart, java.util.Map.of(), LIMIT);
        assertEquals(0, again.exitCode(), again.output());
        List<JsonNode> all = reports(dataDir);
        assertEquals(2, all.size(), again.output());
        JsonNode second = all.stream().filter(r -> "more".equals(r.path("dataset").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no report of the queued run:\n" + again.output()));
        assertEquals("SUCCEEDED", second.path("status").asText(), second.toString());
        assertEquals(1_000, second.path("rowsWritten").asLong(), second.toString());
        assertTrue(Files.exists(moreInbox.resolve(".done").resolve("small.csv")), again.output());
        assertEquals(ROWS + 1_000, rowsOfTheTable(dataDir), "each input loaded once");
    }

    private static boolean writingParquet(Path dataDir) throws IOException {
        Path work = dataDir.resolve("work");
        if (!Files.isDirectory(work)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(work)) {
            return files.anyMatch(f -> f.toString().endsWith(".parquet"));
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitOutput(ApplicationProcess.Running app, String what, Condition condition)
            throws IOException {
        try {
            await(what).atMost(LIMIT).pollInterval(Duration.ofMillis(50))
                    .failFast("the app exited", () -> !app.process().isAlive())
                    .until(condition::holds);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError("waiting for " + what + ": " + e.getMessage() + "\n" + app.stdout(), e);
        }
    }

    private static List<JsonNode> reports(Path dataDir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> reports = new ArrayList<>();
        Path runs = dataDir.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return reports;
        }
        try (Stream<Path> files = Files.list(runs)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                reports.add(json.readTree(file.toFile()));
            }
        }
        return reports;
    }

    private static long rowsOfTheTable(Path dataDir) throws Exception {
        Table table = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, dataDir.resolve("warehouse"),
                null, "data", "products", TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE));
        return Long.parseLong(table.currentSnapshot().summary().get("total-records"));
    }
}
