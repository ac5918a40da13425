package app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.TableConfig;
import lake.IcebergTables;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import config.Settings;
import org.junit.jupiter.api.Test;
import support.ApplicationProcess;
import support.PipelineTestSupport;
import support.TableRows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's own bike-trips CSV, loaded in one command without a schema: long ids, wall-clock and zoned timestamps,
 * decimals with 3 places, booleans, quoted names with commas and accents, empty values. Every column gets its type,
 * every value reads back as DuckDB's own {@code read_csv} reads the file, and the schema the {@code schema} command
 * prints loads the same file into an identical table.
 */
class OwnCsvWithoutASchemaLoadsTypedColumnsTest extends PipelineTestSupport {

    private static final int ROWS = 2_000;
    private static final DateTimeFormatter DUCKDB_TIMESTAMPTZ =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss[.SSSSSS]x");

    private Path csv;

    @Override
    protected Properties testProperties() {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "trips-");
            csv = Files.writeString(dir.resolve("trips.csv"), trips());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties p = new Properties();
        p.setProperty("pipeline.once", csv.toAbsolutePath().toString());
        // set empty: no schema, inferred from the CSV
        p.setProperty("pipeline.convert.schema", "");
        p.setProperty("pipeline.table.name", "trips");
        p.setProperty("pipeline.query.sql", "SELECT * FROM \"data\".\"trips\" ORDER BY trip_id");
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        return p;
    }

    /** {@code ROWS} trips; every seventh without a rating, every fifth without a note. */
    private static String trips() {
        StringBuilder csv = new StringBuilder(
                "Trip ID,Started At,Docked At,Distance Km,Member,Start Station,Duration,Rating,Notes\n");
        String[] stations = {"\"Gare de l'Est, Paris\"", "Main St & 3rd Ave", "\"Café Müller, \"\"Nord\"\"\"",
            "Plaça de Catalunya", "\"Zürich HB, Gleis 7\""};
        LocalDateTime start = LocalDateTime.of(2026, 3, 1, 8, 15);
        for (int i = 0; i < ROWS; i++) {
            LocalDateTime at = start.plusMinutes(7L * i);
            csv.append(20260301000000L + i).append(',')
                    .append(at.toString().replace('T', ' ')).append(i % 3 == 0 ? ":00" : ":30").append(',')
                    .append(at.plusMinutes(12).toString()).append(i % 2 == 0 ? "+01:00" : "Z").append(',')
                    .append(i / 10).append('.').append(String.format("%03d", (i * 37) % 1000)).append(',')
                    .append(i % 4 == 0 ? "true" : "false").append(',')
                    .append(stations[i % stations.length]).append(',')
                    .append(300 + (i * 13) % 5000).append(',')
                    .append(i % 7 == 0 ? "" : String.valueOf(1 + i % 5)).append(',')
                    .append(i % 5 == 0 ? "" : "\"note " + i + ", ok\"").append('\n');
        }
        return csv.toString();
    }

    @Test
    void everyColumnIsTypedAndEveryValueReadsBackAsDuckDbReadsTheCsv() throws Exception {
        JsonNode report = awaitReport();
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        awaitExitCode(0);
        assertEquals("inferred", report.at("/schema/source").asText(), report.toString());
        assertEquals(ROWS, report.at("/schema/sampleRows").asLong());
        assertEquals(1, report.at("/schema/passes").asInt());
        assertFalse(report.at("/schema/widened").isArray(), "nothing widened: " + report);

        Table table = IcebergTables.load(table(dataDir));
        assertEquals(List.of(
                "trip_id long required", "started_at timestamp required", "docked_at timestamptz required",
                "distance_km decimal(18, 3) required", "member boolean required", "start_station string required",
                "duration int required", "rating int optional", "notes string optional"),
                table.schema().columns().stream().map(OwnCsvWithoutASchemaLoadsTypedColumnsTest::describe).toList());

        List<List<String>> expected = duckDbReadCsv(csv);
        List<List<String>> loaded = resultsFile(report);
        assertEquals(ROWS, loaded.size());
        for (int row = 0; row < ROWS; row++) {
            List<String> want = expected.get(row);
            List<String> got = loaded.get(row);
            String where = "row " + (row + 1) + ": " + want + " read back as " + got;
            assertEquals(want.get(0), got.get(0), where);
            assertEquals(LocalDateTime.parse(want.get(1).replace(' ', 'T')),
                    LocalDateTime.parse(got.get(1).replace(' ', 'T')), where + " (a wall-clock time, as written)");
            assertEquals(OffsetDateTime.parse(want.get(2)).toInstant(),
                    OffsetDateTime.parse(got.get(2), DUCKDB_TIMESTAMPTZ).toInstant(), where + " (an instant)");
            assertEquals(new BigDecimal(want.get(3)), new BigDecimal(got.get(3)), where + " (a decimal, exact)");
            assertEquals(want.get(3), got.get(3), where + " (three places, as written)");
            assertEquals(Boolean.valueOf(want.get(4)), Boolean.valueOf(got.get(4)), where);
            for (int c = 5; c < want.size(); c++) {
                assertEquals(Optional.ofNullable(want.get(c)).orElse(""), got.get(c), where);
            }
        }
    }

    @Test
    void theSchemaCommandPrintsASchemaThatLoadsToAnIdenticalTable() throws Exception {
        assertEquals("SUCCEEDED", awaitReport().get("status").asText());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = SchemaCommand.run(List.of(csv.toString()), new Settings(key -> Optional.empty()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        Path schema = Files.writeString(csv.resolveSibling("trips.avsc"), out.toString(StandardCharsets.UTF_8));
        Path pinned = dataDir.resolveSibling(dataDir.getFileName() + "-pinned");
        ApplicationProcess.Result result = ApplicationProcess.run(pinned, List.of("-Dpipeline.once=" + csv,
                "-Dpipeline.convert.schema=" + schema, "-Dpipeline.table.name=trips"), Map.of(),
                Duration.ofSeconds(120));
        assertEquals(0, result.exitCode(), result.output());

        Table inferred = IcebergTables.load(table(dataDir));
        Table given = IcebergTables.load(table(pinned));
        assertEquals(inferred.schema().asStruct(), given.schema().asStruct());
        assertEquals(TableRows.read(inferred).toString(), TableRows.read(given).toString());
        String columns = err.toString(StandardCharsets.UTF_8);
        assertFalse(columns.isEmpty());
        for (String line : List.of("Start Station", "start_station", "decimal(18,3)", "Gare de l'Est, Paris")) {
            assertTrue(columns.contains(line), line + " in " + columns);
        }
    }

    private static TableConfig table(Path dataDir) {
        return new TableConfig(TableConfig.Catalog.HADOOP, dataDir.resolve("warehouse"), null, "data", "trips",
                TableConfig.Mode.OVERWRITE, TableConfig.SchemaEvolution.NONE);
    }

    private static String describe(Types.NestedField column) {
        return column.name() + " " + column.type() + (column.isOptional() ? " optional" : " required");
    }

    /** The CSV as DuckDB's read_csv reads it, every value as its text, an empty value NULL. */
    private static List<List<String>> duckDbReadCsv(Path csv) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement();
             ResultSet r = statement.executeQuery("SELECT * FROM read_csv('" + csv.toString().replace("'", "''")
                     + "', header = true, all_varchar = true)")) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    row.add(r.getString(c));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The rows of the run's results file (the query through the app's DuckDB), a NULL as an empty value. */
    private static List<List<String>> resultsFile(JsonNode report) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(Path.of(report.path("query").path("resultsFile").asText()))) {
            for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(in)) {
                rows.add(record.toList());
            }
        }
        return rows;
    }
}
