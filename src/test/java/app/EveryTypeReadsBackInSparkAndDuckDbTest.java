package app;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import support.LocalSpark;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A one-shot run of a schema with every supported type, each at the ends of its range: the table the embedded engine
 * wrote (the converted file itself) reads back value for value in Spark, through Iceberg's runtime, and in DuckDB;
 * wall-clock times (local-timestamp-*) as written, 02:30 on a night Europe's clocks skip included.
 */
class EveryTypeReadsBackInSparkAndDuckDbTest extends PipelineTestSupport {

    private static final String SCHEMA = """
            {"type": "record", "name": "Everything", "fields": [
              {"name": "id", "type": "int"},
              {"name": "big", "type": "long"},
              {"name": "ratio", "type": "float"},
              {"name": "score", "type": "double"},
              {"name": "active", "type": "boolean"},
              {"name": "note", "type": ["null", "string"], "default": null},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "at_millis", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "at_micros", "type": {"type": "long", "logicalType": "timestamp-micros"}},
              {"name": "nine", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
              {"name": "eighteen", "type": {"type": "fixed", "name": "Eighteen", "size": 8,
                                            "logicalType": "decimal", "precision": 18, "scale": 4}},
              {"name": "twenty", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 20,
                                                   "scale": 4}], "default": null},
              {"name": "roomy", "type": {"type": "fixed", "name": "Roomy", "size": 16,
                                         "logicalType": "decimal", "precision": 25, "scale": 2}},
              {"name": "wall_millis", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
              {"name": "wall_micros", "type": ["null", {"type": "long", "logicalType": "local-timestamp-micros"}],
               "default": null}
            ]}""";

    // one row a line, in the schema's column order, as Spark casts each value to a string (instants in UTC,
    // wall-clock times as written)
    private static final List<List<String>> EXPECTED = List.of(
            Arrays.asList("1", "9223372036854775807", "0.5", "-1250.0", "true", "Crème brûlée, \"torch\"",
                    "2024-02-29", "2024-03-01 10:15:30.123", "2024-03-01 08:15:30.123456", "9999999.99",
                    "99999999999999.9999", "9999999999999999.9999", "99999999999999999999999.99",
                    "2026-03-01 08:15:00.25", "2026-03-29 02:30:00.000001"),
            Arrays.asList("2", "-9223372036854775808", "-3.25", "1.0E-300", "false", null, "1970-01-01",
                    "1969-12-31 23:59:59.999", "2262-04-11 23:47:16.854775", "-9999999.99", "-99999999999999.9999",
                    null, "-99999999999999999999999.99", "1969-12-31 23:59:59.999", null));

    @Override
    protected Properties testProperties() {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "types-");
            Path schema = Files.writeString(dir.resolve("everything.avsc"), SCHEMA);
            Path csv = Files.writeString(dir.resolve("everything.csv"), String.join(",", columns()) + "\n"
                    + "1,9223372036854775807,0.5,-1.25e3,true,\"Crème brûlée, \"\"torch\"\"\",2024-02-29,"
                    + "2024-03-01T10:15:30.123,2024-03-01T10:15:30.123456+02:00,9999999.99,99999999999999.9999,"
                    + "9999999999999999.9999,99999999999999999999999.99,2026-03-01 08:15:00.250,"
                    + "2026-03-29T02:30:00.000001\n"
                    + "2,-9223372036854775808,-3.25,1e-300,no,,1970-01-01,1969-12-31T23:59:59.999Z,"
                    + "2262-04-11T23:47:16.854775Z,-9999999.99,-99999999999999.9999,,-99999999999999999999999.99,"
                    + "1969-12-31T23:59:59.999,\n");
            Properties p = new Properties();
            p.setProperty("pipeline.once", csv.toAbsolutePath().toString());
            p.setProperty("pipeline.convert.schema", schema.toAbsolutePath().toString());
            p.setProperty("pipeline.table.name", "everything");
            p.setProperty("pipeline.query.sql", "SELECT * FROM \"data\".\"everything\" ORDER BY id");
            p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void sparkAndDuckDbReadEveryValueBack() throws Exception {
        JsonNode report = awaitReport();
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        awaitExitCode(0);

        List<List<String>> spark = new ArrayList<>();
        for (JsonNode row : LocalSpark.tableRows(dataDir.resolve("warehouse"), "data.everything")) {
            List<String> values = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = row.fields(); fields.hasNext(); ) {
                JsonNode value = fields.next().getValue();
                values.add(value.isNull() ? null : value.asText());
            }
            spark.add(values);
        }
        assertEquals(EXPECTED, spark);

        // DuckDB's results file: RFC 4180, a null as an empty field, timestamps with their offset
        List<List<String>> duckDb = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(Path.of(report.path("query").path("resultsFile").asText()))) {
            for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                    .parse(in)) {
                duckDb.add(record.toList());
            }
        }
        List<List<String>> expected = new ArrayList<>();
        for (List<String> row : EXPECTED) {
            List<String> text = new ArrayList<>();
            for (int c = 0; c < row.size(); c++) {
                String value = row.get(c) == null ? "" : row.get(c);
                text.add(columns().get(c).startsWith("at_") ? value + "+00" : value);
            }
            expected.add(text);
        }
        assertEquals(expected, duckDb);
    }

    private static List<String> columns() {
        return List.of("id", "big", "ratio", "score", "active", "note", "day", "at_millis", "at_micros", "nine",
                "eighteen", "twenty", "roomy", "wall_millis", "wall_micros");
    }
}
