package app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import config.TableConfig;
import lake.CommitIdentity;
import lake.IcebergTables;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import support.ApplicationProcess;
import support.TableRows;
import support.WarehouseFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger's acceptance, each step a process of the app as a user runs it: inputs A, B and C loaded in append mode
 * (one-shot runs), then {@code maintain} expires every snapshot but the current one, compacts the three data files
 * into one and removes every file no snapshot references; A dropped again ends SKIPPED naming A's run, the rows
 * unchanged. The same when the process loading A is killed (SIGKILL) right after its data commit, before its ledger
 * row: the next start writes the row from the snapshot. On the Hadoop and the JDBC catalog.
 */
class LoadLedgerSurvivesExpiryCompactionAndACrashTest {

    private static final Duration RUN = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "catalog {0}, killed after A''s commit: {1}")
    @CsvSource({"hadoop, false", "jdbc, true"})
    void aReloadedInputIsSkippedAfterExpiryAndCompaction(String catalog, boolean killed) throws Exception {
        Path data = dir.resolve("data");
        List<String> settings = new ArrayList<>(List.of("-Dpipeline.table.mode=append",
                "-Dpipeline.table.catalog=" + catalog));
        if (catalog.equals("jdbc")) {
            settings.add("-Dpipeline.table.jdbcUri=jdbc:sqlite:" + dir.resolve("catalog.db"));
        }
        Path a = csv("a.csv", 1);
        if (killed) {
            List<String> killing = new ArrayList<>(settings);
            killing.add("-Ds3tablespipeline.test.killAfterDataCommit=true");
            ApplicationProcess.Result crashed = once(data, killing, a);
            assertEquals(137, crashed.exitCode(), crashed.output());
            assertTrue(crashed.stdout().contains("Loaded 10 rows"), crashed.output());
            assertTrue(Files.list(data.resolve("state").resolve("loads")).findAny().isPresent(),
                    "the killed load's note is left for the next start");
        } else {
            assertStatus("SUCCEEDED", data, a, once(data, settings, a));
        }
        Path inputB = csv("b.csv", 11);
        ApplicationProcess.Result b = once(data, settings, inputB);
        assertStatus("SUCCEEDED", data, inputB, b);
        if (killed) {
            assertTrue(b.stdout().contains("Load ledger data.products_loads: recorded 1 commit(s)"), b.output());
        }
        Path c = csv("c.csv", 21);
        assertStatus("SUCCEEDED", data, c, once(data, settings, c));
        TableConfig table = table(catalog, data);
        String runOfA = runOf(IcebergTables.load(table), sha256(a));

        List<String> maintenance = new ArrayList<>(settings);
        maintenance.addAll(List.of("-Dpipeline.table.maintenance.expireSnapshotsAfter=0s",
                "-Dpipeline.table.maintenance.keepSnapshots=1",
                "-Dpipeline.table.maintenance.minInputFiles=2",
                "-Dpipeline.table.maintenance.orphanFilesAfter=0s"));
        ApplicationProcess.Result maintained = ApplicationProcess.command(data, maintenance, List.of("maintain"), RUN);
        assertEquals(0, maintained.exitCode(), maintained.output());
        assertTrue(maintained.stdout().contains("data.products: compacted 3 small file(s)"), maintained.output());
        Table compacted = IcebergTables.load(table);
        assertEquals(1, count(compacted.snapshots()), "every snapshot but the current one expired");
        assertEquals("replace", compacted.currentSnapshot().operation());
        assertEquals(1, IcebergTables.currentFiles(compacted).dataFiles().size());
        assertEquals(WarehouseFiles.referenced(compacted), WarehouseFiles.onDisk(WarehouseFiles.folder(compacted)),
                "the table's folder holds only the files its metadata references");
        List<List<String>> rows = TableRows.productRows(compacted);
        assertEquals(30, rows.size());

        Path aAgain = Files.copy(a, dir.resolve("a-again.csv"));
        JsonNode report = assertStatus("SKIPPED", data, aAgain, once(data, settings, aAgain));
        assertTrue(report.get("reason").asText().contains(" by run " + runOfA + " (load ledger data.products_loads)"),
                report.toString());
        assertEquals(runOfA, report.get("ledgerEntry").get("runId").asText(), report.toString());
        assertEquals(rows, TableRows.productRows(IcebergTables.load(table)), "the rows are unchanged");
    }

    private ApplicationProcess.Result once(Path data, List<String> settings, Path input) throws Exception {
        List<String> arguments = new ArrayList<>(settings);
        arguments.add("-Dpipeline.once=" + input);
        return ApplicationProcess.run(data, arguments, java.util.Map.of(), RUN);
    }

    /** The run of {@code input} ended {@code status}; its report. */
    private static JsonNode assertStatus(String status, Path data, Path input, ApplicationProcess.Result result)
            throws IOException {
        assertNotEquals(1, result.exitCode(), result.output());
        try (Stream<Path> reports = Files.list(data.resolve("runs"))) {
            for (Path file : reports.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                JsonNode report = JSON.readTree(file.toFile());
                if (report.path("source").asText().endsWith(input.getFileName().toString())) {
                    assertEquals(status, report.get("status").asText(), report + "\n" + result.output());
                    return report;
                }
            }
        }
        throw new AssertionError("no report of " + input + "\n" + result.output());
    }

    private Path csv(String name, int firstId) throws IOException {
        StringBuilder csv = new StringBuilder("product_id,product_name,product_category,brand\n");
        for (int id = firstId; id < firstId + 10; id++) {
            csv.append(id).append(",Product ").append(id).append(",Books,").append(name).append('\n');
        }
        return Files.writeString(dir.resolve(name), csv, StandardCharsets.UTF_8);
    }

    private static TableConfig table(String catalog, Path data) {
        return new TableConfig(TableConfig.Catalog.valueOf(catalog.toUpperCase()), data.resolve("warehouse"),
                catalog.equals("jdbc") ? "jdbc:sqlite:" + data.resolveSibling("catalog.db") : null, "data", "products",
                TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE);
    }

    private static String runOf(Table table, String sha256) {
        for (Snapshot snapshot : table.snapshots()) {
            if (sha256.equals(snapshot.summary().get(CommitIdentity.INPUT_SHA256))) {
                return snapshot.summary().get(CommitIdentity.RUN_ID);
            }
        }
        throw new AssertionError("no snapshot of input " + sha256);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static int count(Iterable<?> items) {
        int n = 0;
        for (Object ignored : items) {
            n++;
        }
        return n;
    }
}
