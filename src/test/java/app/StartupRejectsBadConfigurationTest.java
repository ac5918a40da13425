package app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import support.ApplicationProcess;
import support.ApplicationProcess.Result;
import support.ParquetFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real app in a child JVM: bad configuration exits 2 naming each property and value; one-shot runs exit 0 or 1. */
class StartupRejectsBadConfigurationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dataDir;

    @BeforeEach
    void freshDataDir() throws IOException {
        Path root = Files.createDirectories(Path.of("target", "test-data"));
        dataDir = Files.createTempDirectory(root, getClass().getSimpleName() + "-").toAbsolutePath().resolve("data");
    }

    @Test
    void twoBadPropertiesAreBothNamedWithTheirValues() throws Exception {
        Result result = run(List.of("-Dpipeline.convert.onBadRow=maybe", "-Dpipeline.s3.bucket=Bad_Bucket"), Map.of());

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("pipeline.convert.onBadRow"), result.output());
        assertTrue(result.stderr().contains("maybe"), result.output());
        assertTrue(result.stderr().contains("pipeline.s3.bucket"), result.output());
        assertTrue(result.stderr().contains("Bad_Bucket"), result.output());
    }

    @Test
    void malformedSchemaFileIsNamed() throws Exception {
        Path schema = Files.writeString(dataDir.getParent().resolve("bad.avsc"),
                "{\"type\": \"record\", \"name\": \"Product\", \"fields\": [");

        Result result = run(List.of("-Dpipeline.convert.schema=" + schema), Map.of());

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("pipeline.convert.schema"), result.output());
        assertTrue(result.stderr().contains(schema.toString()), result.output());
    }

    @Test
    void badSchemaFileAndBadKeyTemplateAreNamedWithTheOtherBadValues() throws Exception {
        Path missing = dataDir.getParent().resolve("missing.avsc");

        Result result = run(List.of("-Dpipeline.s3.bucket=Bad_Bucket", "-Dpipeline.convert.schema=" + missing,
                "-Dpipeline.s3.key=data/{table}.parquet"), Map.of());

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("Bad_Bucket"), result.output());
        assertTrue(result.stderr().contains(missing.toString()), "every bad value in one message: " + result.output());
        assertTrue(result.stderr().contains("{table}"), "every bad value in one message: " + result.output());
    }

    @Test
    void aMergeKeyTheSchemaLacksOrMakesOptionalIsNamed() throws Exception {
        Path schema = Files.writeString(dataDir.getParent().resolve("optional-id.avsc"), """
                {"type": "record", "name": "Product", "fields": [
                  {"name": "product_id", "type": ["null", "int"], "default": null},
                  {"name": "brand", "type": "string"}]}""");

        Result result = run(List.of("-Dpipeline.convert.schema=" + schema, "-Dpipeline.table.mode=merge",
                "-Dpipeline.table.key=product_id,sku"), Map.of());

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("pipeline.table.key names product_id, which schema " + schema
                + " makes optional"), result.output());
        assertTrue(result.stderr().contains("pipeline.table.key names sku, which schema " + schema + " lacks"),
                result.output());
    }

    @Test
    void tableAndNamespaceNamesS3TablesWouldRefuseAreRefusedNamingTheRule() throws Exception {
        Result result = run(List.of("-Dpipeline.table.name=Trips", "-Dpipeline.table.namespace=aws_data"), Map.of());

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("pipeline.table.name must be 1 to 255 lower-case letters, digits and"
                + " underscores"), result.output());
        assertTrue(result.stderr().contains("was 'Trips'"), result.output());
        assertTrue(result.stderr().contains("pipeline.table.namespace must be"), result.output());
        assertTrue(result.stderr().contains("not starting with aws"), result.output());
        assertTrue(!Files.exists(dataDir.resolve("warehouse")), "nothing was created");
    }

    @Test
    void environmentVariableOverridesAProperty() throws Exception {
        Result result = run(List.of(), Map.of("PIPELINE_CONVERT_ONBADROW", "maybe"));

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("pipeline.convert.onBadRow"), result.output());
        assertTrue(result.stderr().contains("maybe"), result.output());
    }

    @Test
    void oneShotRunOfTheSampleExitsZeroWithItsParquetAndReport() throws Exception {
        Path sample = Path.of("samples/products.csv").toAbsolutePath();

        Result result = run(List.of("-Dpipeline.once=" + sample), Map.of());

        assertEquals(0, result.exitCode(), result.output());
        List<JsonNode> reports = reports();
        assertEquals(1, reports.size(), reports + "\n" + result.output());
        JsonNode report = reports.get(0);
        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals("once", report.path("trigger").asText(), report.toString());
        assertEquals(20, report.path("rowsRead").asLong(), report.toString());
        assertEquals(20, report.path("rowsWritten").asLong(), report.toString());
        // the embedded S3 server keeps each object as a file under <data.dir>/s3/<bucket>/<key>
        Path stored = dataDir.resolve("s3").resolve(
                report.path("parquetUri").asText().substring("s3://".length()));
        List<GenericRecord> rows = ParquetFiles.records(stored);
        assertEquals(20, rows.size());
        assertEquals(1, rows.get(0).get("product_id"));
        assertEquals(Files.readAllLines(sample).get(1).split(",")[1], rows.get(0).get("product_name").toString());
    }

    @Test
    void applicationIsWiredOnceOneS3ServerAndEachStageTimedOnce() throws Exception {
        Result result = run(List.of("-Dpipeline.once=" + Path.of("samples/products.csv").toAbsolutePath()), Map.of());

        assertEquals(0, result.exitCode(), result.output());
        long s3Servers = result.stdout().lines().filter(line -> line.contains("Embedded S3 server listening")).count();
        assertEquals(1, s3Servers, "one embedded S3 server per application: " + result.output());
        JsonNode report = reports().get(0);
        long stages = 0;
        for (JsonNode ms : report.path("stageMs")) {
            stages += ms.asLong();
        }
        assertTrue(stages <= report.path("durationMs").asLong(),
                "the stages cannot take longer than the run: " + report);
    }

    @Test
    void oneShotRunOfABadCsvExitsOneWithAFailedReport() throws Exception {
        Path csv = Files.writeString(dataDir.getParent().resolve("bad.csv"),
                "product_id,product_name,product_category,brand\n1,Lamp,Home,BenQ\nnone,Mat,Sports,Manduka\n");

        Result result = run(List.of("-Dpipeline.once=" + csv), Map.of());

        assertEquals(1, result.exitCode(), result.output());
        List<JsonNode> reports = reports();
        assertEquals(1, reports.size(), reports + "\n" + result.output());
        JsonNode report = reports.get(0);
        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertEquals("once", report.path("trigger").asText(), report.toString());
        assertEquals("convert", report.path("error").path("stage").asText(), report.toString());
        assertTrue(report.path("error").path("message").asText().contains("line 3"), report.toString());
        assertTrue(Files.exists(csv), "a one-shot input is left where it is");
    }

    private Result run(List<String> jvmArguments, Map<String, String> environment) throws Exception {
        return ApplicationProcess.run(dataDir, jvmArguments, environment, TIMEOUT);
    }

    private List<JsonNode> reports() throws IOException {
        Path runs = dataDir.resolve("runs");
        List<JsonNode> reports = new ArrayList<>();
        if (Files.isDirectory(runs)) {
            try (Stream<Path> files = Files.list(runs)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    reports.add(JSON.readTree(file.toFile()));
                }
            }
        }
        return reports;
    }
}
