package app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import config.TableConfig;
import convert.ConvertStage;
import core.BadInputException;
import core.ConversionResult;
import lake.IcebergTables;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import support.LocalSpark;
import support.ParquetFiles;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance of {@code pipeline.convert.on=spark}: each CSV the app's convert loads (quoted fields holding
 * delimiters, line ends and quotes, and empty values; a BOM, CRLF and reordered columns in a gzip file; bad rows skipped)
 * gives, through the spark-submit engine converting it, the same rows in the table as the app's convert writes, and
 * each CSV the app's convert refuses fails the same way. One process, one dataset a case, the cases one after another,
 * at most one Spark JVM a case (a header without a required column fails before any, read by the app).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConvertOnSparkLoadsWhatTheAppsConvertLoadsTest extends PipelineTestSupport {

    private static final String SCHEMA = """
            {"type": "record", "name": "Item", "fields": [
              {"name": "product_id", "type": "int"},
              {"name": "product_name", "type": "string"},
              {"name": "product_category", "type": "string"},
              {"name": "brand", "type": "string"},
              {"name": "stock", "type": ["null", "int"], "default": null},
              {"name": "price", "type": ["null", "double"], "default": null}]}
            """;
    private static final List<String> FIELDS = List.of("product_id", "product_name", "product_category", "brand",
            "stock", "price");
    private static final String HEADER = "product_id,product_name,product_category,brand,stock,price\n";

    /**
     * A CSV, how it is sent, and what the app's convert makes of it.
     *
     * @param gzip      whether the input is gzip-compressed (uploaded so, and read so by Spark)
     * @param onBadRow  {@code pipeline.convert.onBadRow}
     * @param failure   what the failure of both convert says; null: the input loads
     */
    record Case(String name, String csv, boolean gzip, String onBadRow, String failure) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("quoted_and_empty", HEADER
                        + "1,\"Lamp, desk\",Home,BenQ,4,19.5\n"
                        + "2,\"Jacket\n\"\"denim\"\"\",Apparel,\"Levi's\",,\n"
                        + "3,\"a \"\"quoted\"\" word\",\"Kitchen\",Lodge,0,-0.25\n"
                        + "4,,Home,BenQ,,\n"
                        + "5,\"\",\"\",Manduka,\"\",\"\"\n", false, "fail", null),
                new Case("bomcrlf", "\ufeffbrand,Price,Product Name,product_category,product_id,STOCK\r\n"
                        + "BenQ,19.5,Lamp,Home,1,4\r\n"
                        + "Manduka,7,\"Mat, yoga\",Sports,2,\r\n", true, "fail", null),
                new Case("skip", HEADER
                        + "1,Lamp,Home,BenQ,4,19.5\n"
                        + "abc,\"Jacket, denim\",Apparel,Levi's,1,2\n"
                        + "3,Plate,Home\n"
                        + "4,Pan,Kitchen,Lodge,x,1\n"
                        + "5,Tea,Grocery,Twinings,2,3.5\n", true, "skip", null),
                new Case("failing", HEADER
                        + "1,Lamp,Home,BenQ,4,19.5\n"
                        + "abc,Jacket,Apparel,Levi's,1,2\n", false, "fail", "column product_id, value 'abc': not an int"),
                new Case("missing", "product_id,product_name,product_category\n1,Lamp,Home\n", false, "fail",
                        "the header has no column for the required field(s) brand"));
    }

    private Path inputs;
    private Path schemaFile;
    private Map<String, JsonNode> reports;

    @Override
    protected Properties testProperties() {
        Properties p = LocalSpark.engineProperties();
        try {
            inputs = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "on-spark-");
            schemaFile = Files.writeString(inputs.resolve("item.avsc"), SCHEMA);
            List<String> names = new ArrayList<>();
            for (Case c : cases().toList()) {
                names.add(c.name());
                Path file = Files.write(inputs.resolve(c.name() + (c.gzip() ? ".csv.gz" : ".csv")), bytes(c));
                String own = "pipeline.dataset." + c.name() + ".";
                p.setProperty(own + "once", file.toAbsolutePath().toString());
                p.setProperty(own + "table.name", c.name());
                p.setProperty(own + "convert.onBadRow", c.onBadRow());
                p.setProperty(own + "query.sql", "SELECT count(*) FROM \"data\".\"" + c.name() + "\"");
            }
            p.setProperty("pipeline.datasets", String.join(",", names));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.setProperty("pipeline.convert.on", "spark");
        p.setProperty("pipeline.convert.schema", schemaFile.toAbsolutePath().toString());
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        return p;
    }

    /** Each case's report, waited for once: the runs take turns, one Spark JVM each. */
    private synchronized JsonNode report(Case c) throws Exception {
        if (reports == null) {
            reports = new HashMap<>();
            for (JsonNode report : awaitReports((int) cases().count(), Duration.ofMinutes(10))) {
                reports.put(report.path("dataset").asText(), report);
            }
        }
        return reports.get(c.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sparkLoadsTheRowsTheAppsConvertWritesOrFailsAlike(Case c) throws Exception {
        JsonNode report = report(c);
        assertNotNull(report, "no report of " + c.name());
        ConvertStage app = new ConvertStage(Files.createDirectories(inputs.resolve("app-" + c.name())))
                .with("pipeline.convert.onBadRow", c.onBadRow())
                .schema(SCHEMA);
        Path input = app.bytes(bytes(c));
        if (c.failure() != null) {
            String expected = app.fail(input, BadInputException.class).getMessage();
            assertTrue(expected.contains(c.failure()), expected);
            assertEquals("FAILED", report.path("status").asText(), report.toString());
            assertTrue(report.path("error").path("message").asText().contains(c.failure()), report.toString());
            return;
        }
        ConversionResult converted = app.convert(input);
        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals("spark", report.path("convertedOn").asText(), report.toString());
        assertTrue(report.path("csvUri").asText().endsWith(c.gzip() ? ".csv.gz" : ".csv"), report.toString());
        assertEquals(parquetRows(converted.parquetFile()), tableRows(c.name()));
        assertEquals(converted.rowsRead(), report.path("rowsRead").asLong(), report.toString());
        assertEquals(converted.rowsWritten(), report.path("rowsWritten").asLong(), report.toString());
        assertEquals(converted.rowsRejected(), report.path("rowsRejected").asLong(), report.toString());
        if (converted.rowsRejected() > 0) {
            String rejects = Files.readString(downloadUri(report.path("rejectsUri").asText()));
            List<String> expected = Files.readAllLines(converted.rejectsFile());
            assertEquals(expected.get(0), rejects.lines().findFirst().orElseThrow());
            // the same reasons; Spark reads a record's fields, not its line, so the line column is empty
            assertEquals(expected.stream().skip(1).map(l -> l.substring(l.indexOf(',') + 1)).toList(),
                    rejects.lines().skip(1).map(l -> l.substring(l.indexOf(',') + 1)).toList());
        }
    }

    private static byte[] bytes(Case c) throws IOException {
        byte[] plain = c.csv().getBytes(StandardCharsets.UTF_8);
        if (!c.gzip()) {
            return plain;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        return out.toByteArray();
    }

    private static List<List<String>> parquetRows(Path parquet) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (GenericRecord record : ParquetFiles.records(parquet)) {
            List<String> row = new ArrayList<>();
            FIELDS.forEach(f -> row.add(record.get(f) == null ? null : record.get(f).toString()));
            rows.add(row);
        }
        rows.sort(Comparator.comparing(r -> Integer.parseInt(r.get(0))));
        return rows;
    }

    private List<List<String>> tableRows(String name) throws IOException {
        Table table = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, dataDir.resolve("warehouse"),
                null, "data", name, TableConfig.Mode.OVERWRITE, TableConfig.SchemaEvolution.NONE));
        List<List<String>> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record record : records) {
                List<String> row = new ArrayList<>();
                FIELDS.forEach(f -> row.add(record.getField(f) == null ? null : record.getField(f).toString()));
                rows.add(row);
            }
        }
        rows.sort(Comparator.comparing(r -> Integer.parseInt(r.get(0))));
        return rows;
    }
}
