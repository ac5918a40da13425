package app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ApplicationProcess;

/**
 * {@code --config <file>} reads a properties file over application.properties, under {@code -D} and the
 * environment, for a run and for the commands alike; a file that only names the table gets runs labelled after it and
 * an upload key that names it; a misspelt key in the file is refused as any other, and a missing file is named.
 */
class ConfigFileIsReadOverApplicationPropertiesTest {

    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void theFilesSettingsApplyUnderTheCommandLinesAndTheCommandsReadThemToo() throws Exception {
        Path data = dir.resolve("data");
        Path config = Files.writeString(dir.resolve("trips.properties"), String.join("\n",
                "pipeline.table.name = trips",
                "pipeline.table.namespace = shop",
                "pipeline.query.printRows = 3", ""));

        ApplicationProcess.Result run = ApplicationProcess.run(data,
                List.of("-Dpipeline.once=" + Path.of("samples/products.csv").toAbsolutePath(),
                        "-Dpipeline.table.namespace=store"),
                List.of("--config", config.toString()), Map.of(), LIMIT);

        assertEquals(0, run.exitCode(), run.output());
        JsonNode report = report(data);
        assertEquals("trips", report.get("dataset").asText(), "the dataset follows the table's name");
        assertEquals("store.trips", report.get("table").asText(), "-D wins over the file");
        assertEquals("s3://s3-general-purpose-ecommerce/data/trips.parquet", report.get("parquetUri").asText());
        assertTrue(run.stdout().contains("(first 3 shown)"), run.output());

        ApplicationProcess.Result tables = ApplicationProcess.run(data, List.of(),
                List.of("tables", "--config=" + config), Map.of(), LIMIT);
        assertEquals(0, tables.exitCode(), tables.output());
        assertTrue(tables.stdout().contains("| store.trips "), tables.output());

        ApplicationProcess.Result query = ApplicationProcess.run(data, List.of("-Dpipeline.table.namespace=store"),
                List.of("--config", config.toString(), "query", "SELECT COUNT(*) AS n FROM store.trips"), Map.of(),
                LIMIT);
        assertEquals(0, query.exitCode(), query.output());
        assertTrue(query.stdout().contains("| 20 |"), query.output());
    }

    @Test
    void aMisspeltKeyInTheFileAndAMissingFileAreNamed() throws Exception {
        Path config = Files.writeString(dir.resolve("typo.properties"), "pipeline.table.nmae = trips\n");

        ApplicationProcess.Result typo = ApplicationProcess.run(dir.resolve("typo"), List.of(),
                List.of("--config", config.toString()), Map.of(), LIMIT);
        assertEquals(2, typo.exitCode(), typo.output());
        assertTrue(typo.stderr().contains("pipeline.table.nmae is not a setting; did you mean pipeline.table.name?"),
                typo.output());

        ApplicationProcess.Result command = ApplicationProcess.run(dir.resolve("typo"), List.of(),
                List.of("runs", "--config", config.toString()), Map.of(), LIMIT);
        assertEquals(2, command.exitCode(), command.output());
        assertTrue(command.stderr().contains("pipeline.table.nmae is not a setting"), command.output());

        ApplicationProcess.Result missing = ApplicationProcess.run(dir.resolve("missing"), List.of(),
                List.of("--config", dir.resolve("none.properties").toString()), Map.of(), LIMIT);
        assertEquals(2, missing.exitCode(), missing.output());
        assertTrue(missing.stderr().contains("--config " + dir.resolve("none.properties") + ": no such file"),
                missing.output());
    }

    private static JsonNode report(Path data) throws Exception {
        try (Stream<Path> files = Files.list(data.resolve("runs"))) {
            List<Path> reports = files.filter(file -> file.getFileName().toString().endsWith(".json")).toList();
            assertEquals(1, reports.size(), reports.toString());
            return new ObjectMapper().readTree(reports.get(0).toFile());
        }
    }
}
