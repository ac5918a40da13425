package run;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.ConversionResult;
import core.Pipeline;
import core.RunSchema;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run report says what the convert found without failing: the schema it used (inferred, with its sample and the
 * columns it widened, or given), the warnings (a nullable column the CSV lacks); the summary line says where the
 * rejects went.
 */
class RunReportSaysWhatTheConvertFoundTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theSchemaWidenedColumnsAndWarningsAreInTheReport() throws Exception {
        Schema avro = SchemaBuilder.record("Row").fields().requiredLong("trip_id").optionalString("note").endRecord();
        RunSchema schema = RunSchema.inferred(avro, 20_000).widened(avro,
                List.of(new RunSchema.Widening("trip_id", 50_001, "12345678901", "int", "long")));
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        PipelineRun run = new PipelineRun("once", "trips.csv");
        exchange.setProperty(Pipeline.RUN, run);
        exchange.setProperty(Pipeline.SCHEMA, schema);
        exchange.setProperty(ConversionResult.PROPERTY, new ConversionResult(3, 3, 0, dir.resolve("x.parquet"), null,
                10, List.of("the CSV has no column for the nullable field(s) note of the schema"), "gzip", 1_050_047L));
        RunReporter reporter = new RunReporter(dir);

        new RunRecorder(reporter, e -> { }, "trips", "data.trips").converted(exchange);
        run.succeeded();
        reporter.finish(run, RunFiles.of(exchange));

        JsonNode report = JSON.readTree(reporter.reportFile(run).toFile());
        assertEquals("inferred", report.at("/schema/source").asText());
        assertEquals(20_000, report.at("/schema/sampleRows").asLong());
        assertEquals(2, report.at("/schema/passes").asInt());
        assertEquals("trip_id", report.at("/schema/widened/0/column").asText());
        assertEquals(50_001, report.at("/schema/widened/0/line").asLong());
        assertEquals("long", report.at("/schema/avro/fields/0/type").asText(), "the Avro schema itself, as JSON");
        assertEquals("the CSV has no column for the nullable field(s) note of the schema",
                report.at("/warnings/0").asText());
        assertEquals("gzip", report.at("/compression").asText());
        assertEquals(1_050_047, report.at("/csvBytes").asLong(), "the CSV it held, decompressed");
    }

    @Test
    void aPlainInputsReportNamesNoCompression() throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        PipelineRun run = new PipelineRun("once", "trips.csv");
        exchange.setProperty(Pipeline.RUN, run);
        exchange.setProperty(ConversionResult.PROPERTY, new ConversionResult(3, 3, 0, dir.resolve("x.parquet"), null,
                10));
        RunReporter reporter = new RunReporter(dir);

        new RunRecorder(reporter, e -> { }, "trips", "data.trips").converted(exchange);
        run.succeeded();
        reporter.finish(run, RunFiles.of(exchange));

        JsonNode report = JSON.readTree(reporter.reportFile(run).toFile());
        assertTrue(report.path("compression").isMissingNode(), report.toString());
        assertTrue(report.path("csvBytes").isMissingNode(), report.toString());
    }

    @Test
    void theSummaryLineSaysWhereTheRejectsWent() {
        PipelineRun run = new PipelineRun("file", "some-bad.csv");
        run.setParquetUri("s3://bucket/data/r.parquet");
        run.setRejectsUri("s3://bucket/data/r.rejects.csv");
        run.succeeded();

        String line = RunReporter.summary(run);

        assertTrue(line.contains(" rejects=s3://bucket/data/r.rejects.csv"), line);
    }
}
