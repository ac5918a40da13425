package app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.TableConfig;
import lake.IcebergTables;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Inference is never silently wrong: a column whose sampled values (the first 20,000 rows) are all whole numbers, and
 * whose row 50,000 holds {@code 12.5}, is widened to a decimal and the file converted again; the run SUCCEEDS, its
 * report names the column and the line, and every row reads back exactly.
 */
class ValueAfterTheSampleWidensItsColumnTest extends PipelineTestSupport {

    private static final int ROWS = 60_000;
    private static final int ODD_ROW = 50_000;

    @Override
    protected Properties testProperties() {
        Path csv;
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "widen-");
            StringBuilder text = new StringBuilder("id,fare\n");
            for (int row = 1; row <= ROWS; row++) {
                text.append(row).append(',').append(row == ODD_ROW ? "12.5" : String.valueOf(fare(row))).append('\n');
            }
            csv = Files.writeString(dir.resolve("fares.csv"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties p = new Properties();
        p.setProperty("pipeline.once", csv.toAbsolutePath().toString());
        p.setProperty("pipeline.convert.schema", "");
        p.setProperty("pipeline.table.name", "fares");
        p.setProperty("pipeline.query.sql", "SELECT id, fare FROM \"data\".\"fares\" ORDER BY id");
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        return p;
    }

    private static int fare(int row) {
        return 3 + row % 40;
    }

    @Test
    void theColumnIsWidenedTheLineNamedAndEveryRowExact() throws Exception {
        JsonNode report = awaitReports(1, java.time.Duration.ofSeconds(120)).get(0);

        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        awaitExitCode(0);
        assertEquals(20_000, report.at("/schema/sampleRows").asLong());
        JsonNode widened = report.at("/schema/widened");
        assertEquals(1, widened.size(), report.toString());
        assertEquals("fare", widened.get(0).get("column").asText());
        assertEquals(ODD_ROW + 1, widened.get(0).get("line").asLong(), "the header is line 1");
        assertEquals("12.5", widened.get(0).get("value").asText());
        assertEquals("int", widened.get(0).get("from").asText());
        assertEquals("decimal(18,1)", widened.get(0).get("to").asText());
        assertEquals(2, report.at("/schema/passes").asInt(), "converted again once");
        assertEquals(ROWS, report.get("rowsWritten").asLong());

        Types.NestedField fare = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP,
                dataDir.resolve("warehouse"), null, "data", "fares", TableConfig.Mode.OVERWRITE,
                TableConfig.SchemaEvolution.NONE)).schema().findField("fare");
        assertEquals(Types.DecimalType.of(18, 1), fare.type());
        List<List<String>> rows = resultRows(report);
        assertEquals(ROWS, rows.size());
        for (int row = 1; row <= ROWS; row++) {
            String expected = row == ODD_ROW ? "12.5" : fare(row) + ".0";
            assertEquals(List.of(String.valueOf(row), expected), rows.get(row - 1), "row " + row);
        }
    }
}
