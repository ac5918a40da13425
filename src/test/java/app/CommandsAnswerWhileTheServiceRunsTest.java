package app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ApplicationProcess;

/**
 * The commands against the real process: while the service runs on a data dir, {@code query} answers with DuckDB over
 * the table it loaded, {@code tables} lists it with its rows and last load, {@code runs} names each run's table and
 * source (none of them takes the data dir's lock), and {@code drop-table} is refused, the data dir being in use; once
 * the service has stopped, {@code drop-table} asks for {@code --yes}, then drops the table with its files. {@code help}
 * lists the commands, the settings most people change and the docs; an unknown command is named.
 */
class CommandsAnswerWhileTheServiceRunsTest {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ApplicationProcess.Running service;

    @AfterEach
    void stopService() throws InterruptedException {
        if (service != null) {
            service.kill();
        }
    }

    @Test
    void queryTablesAndRunsAnswerWhileTheServiceRunsAndDropTableWaitsForIt() throws Exception {
        Path data = dir.resolve("data");
        service = ApplicationProcess.start(data, List.of("-Dpipeline.inbox.pollInterval=200ms",
                "-Dpipeline.inbox.readLockMinAge=100ms"), Map.of());
        Path inbox = data.resolve("inbox");
        await("the service watching " + inbox).atMost(LIMIT).until(() -> service.stdout().contains("trigger inbox"));
        Files.createDirectories(inbox);
        Path csv = Files.copy(Path.of("samples/products.csv"), dir.resolve("products.csv"));
        Files.move(csv, inbox.resolve("products.csv"), StandardCopyOption.ATOMIC_MOVE);
        JsonNode report = awaitReport(data);
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        String runId = report.get("runId").asText();

        ApplicationProcess.Result query = command(data, "query",
                "SELECT brand, product_id FROM data.products WHERE product_id <= 2 ORDER BY product_id");
        assertEquals(0, query.exitCode(), query.output());
        assertEquals(List.of("+-------+------------+", "| brand | product_id |", "+-------+------------+",
                "| Sony  | 1          |", "| Bodum | 2          |", "+-------+------------+", "2 rows"),
                query.stdout().strip().lines().toList(), query.output());

        ApplicationProcess.Result tables = command(data, "tables");
        assertEquals(0, tables.exitCode(), tables.output());
        List<String> row = cells(tables.stdout().lines().filter(line -> line.startsWith("| data.products")).findFirst()
                .orElseThrow(() -> new AssertionError(tables.output())));
        assertEquals(List.of("data.products", "20"), row.subList(0, 2), tables.output());
        assertEquals(runId, row.get(3), tables.output());
        assertEquals("products.csv", row.get(4), tables.output());
        List<String> ledger = cells(tables.stdout().lines().filter(line -> line.startsWith("| data.products_loads"))
                .findFirst().orElseThrow(() -> new AssertionError(tables.output())));
        assertEquals(List.of("data.products_loads", "1", "", "", "(load ledger of data.products)"), ledger,
                tables.output());

        ApplicationProcess.Result runs = command(data, "runs");
        assertEquals(0, runs.exitCode(), runs.output());
        assertTrue(runs.stdout().lines().anyMatch(line -> line.contains(runId) && line.contains("| data.products ")
                && line.contains("| products.csv ")), runs.output());

        ApplicationProcess.Result inUse = command(data, "drop-table", "data.products", "--yes");
        assertEquals(2, inUse.exitCode(), inUse.output());
        assertTrue(inUse.stderr().contains("is in use by s3tables-pipeline process " + service.process().pid()),
                inUse.output());

        service.process().destroy(); // SIGTERM: the service stops as it does on Ctrl-C
        assertTrue(service.process().waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "the service did not stop");
        ApplicationProcess.Result unconfirmed = command(data, "drop-table", "data.products");
        assertEquals(2, unconfirmed.exitCode(), unconfirmed.output());
        assertTrue(unconfirmed.stderr().contains("this drops data.products (20 rows) and its load ledger"
                + " data.products_loads in the hadoop catalog at " + data.resolve("warehouse") + ", with their data"
                + " and metadata files, for good; run it again with --yes to drop it"), unconfirmed.output());

        ApplicationProcess.Result dropped = command(data, "drop-table", "data.products", "--yes");
        assertEquals(0, dropped.exitCode(), dropped.output());
        assertTrue(dropped.stdout().contains("dropped data.products (20 rows) and its load ledger data.products_loads"),
                dropped.output());
        try (Stream<Path> files = Files.walk(data.resolve("warehouse"))) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "its files are gone too");
        }
        ApplicationProcess.Result none = command(data, "tables");
        assertEquals("no tables in the hadoop catalog at " + data.resolve("warehouse"), none.stdout().strip(),
                none.output());
    }

    @Test
    void helpListsTheCommandsTheSettingsAndTheDocs() throws Exception {
        for (String asked : List.of("help", "--help", "-h")) {
            ApplicationProcess.Result help = command(dir.resolve("help"), asked);
            assertEquals(0, help.exitCode(), help.output());
            for (String expected : List.of("Commands:", "  runs [--last N] [--dataset D]", "  query \"<sql>\"",
                    "  tables", "  drop-table <namespace.table> --yes", "  schema <csv> [--sample N]",
                    "--config <file>", "  pipeline.table.name = products", "  pipeline.once = ",
                    "docs/configuration.md")) {
                assertTrue(help.stdout().contains(expected), expected + " is not in the help: " + help.output());
            }
            assertFalse(help.output().contains("Apache Camel Runner"), "not Camel's own help: " + help.output());
        }
        ApplicationProcess.Result unknown = command(dir.resolve("help"), "tabels");
        assertEquals(2, unknown.exitCode(), unknown.output());
        assertTrue(unknown.stderr().startsWith("tabels is not a command of s3tables-pipeline; the commands are:"),
                unknown.output());
    }

    private ApplicationProcess.Result command(Path data, String... arguments) throws Exception {
        return ApplicationProcess.run(data, List.of(), List.of(arguments), Map.of(), LIMIT);
    }

    private static JsonNode awaitReport(Path data) {
        Path runs = data.resolve("runs");
        await("a run report in " + runs).atMost(LIMIT).until(() -> reports(runs).size() == 1);
        return reports(runs).get(0);
    }

    private static List<JsonNode> reports(Path runs) {
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(runs)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json")).map(file -> {
                try {
                    return JSON.readTree(file.toFile());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> cells(String line) {
        return Stream.of(line.substring(1, line.length() - 1).split("\\|", -1)).map(String::strip).toList();
    }
}
