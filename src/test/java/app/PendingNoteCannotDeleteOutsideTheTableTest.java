package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import config.TableConfig;
import lake.IcebergTables;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import support.ApplicationProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real app, restarted on a data dir whose {@code state/loads/} holds notes of loads in progress: a note naming a
 * file outside the table's data folder is ignored and logged, the file untouched; a note naming a data file a killed
 * load left in the table's folder still has it removed.
 */
class PendingNoteCannotDeleteOutsideTheTableTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void aCraftedNoteDeletesNothing() throws Exception {
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")),
                getClass().getSimpleName() + "-").toAbsolutePath();
        Path dataDir = root.resolve("data");
        String sample = "-Dpipeline.once=" + Path.of("samples/products.csv").toAbsolutePath();
        ApplicationProcess.Result first = ApplicationProcess.run(dataDir, List.of(sample), Map.of(), TIMEOUT);
        assertEquals(0, first.exitCode(), first.output());

        Path victim = Files.writeString(root.resolve("victim.txt"), "keep me\n");
        Path loads = Files.createDirectories(dataDir.resolve("state").resolve("loads"));
        Files.writeString(loads.resolve("20261201-101010-abcd.pending"), victim.toString());
        Table table = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, dataDir.resolve("warehouse"),
                null, "data", "products", TableConfig.Mode.OVERWRITE, TableConfig.SchemaEvolution.NONE));
        String orphan = table.locationProvider().newDataLocation("20261201-111111-beef-" + UUID.randomUUID()
                                                                  + ".parquet");
        Path orphanFile = Path.of(orphan.replaceFirst("^file:", ""));
        Files.writeString(orphanFile, "half a parquet");
        Files.writeString(loads.resolve("20261201-111111-beef.pending"), orphan);

        ApplicationProcess.Result second = ApplicationProcess.run(dataDir, List.of(sample), Map.of(), TIMEOUT);

        assertEquals(0, second.exitCode(), second.output());
        assertEquals("keep me\n", Files.readString(victim), "the file the note named is untouched");
        String ignored = "Ignored the note of run 20261201-101010-abcd";
        assertTrue(second.stdout().lines().anyMatch(line -> line.contains(ignored) && line.contains(victim.toString())
                && line.contains("nothing was deleted")), second.output());
        assertFalse(Files.exists(orphanFile), "the killed load's own data file is removed");
        assertTrue(second.stdout().contains("Removed 1 data file(s)"), second.output());
        try (var notes = Files.list(loads)) {
            assertEquals(List.of(), notes.toList(), "both notes are done with");
        }
    }
}
