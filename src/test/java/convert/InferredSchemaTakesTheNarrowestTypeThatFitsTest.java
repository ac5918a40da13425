package convert;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import core.BadInputException;
import core.ConversionResult;
import core.Pipeline;
import core.RunSchema;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.Exchange;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import support.ParquetFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without a schema, each column of the CSV gets the narrowest type that holds every value of the sample, under a
 * snake_case name; a value after the sample that its column's type does not hold widens the column, and the file is
 * converted again, every such column found in one pass; the sample read as each parser reads the file.
 */
@ParameterizedClass(name = "parser={0}")
@ValueSource(strings = {"fast", "camel-csv"})
class InferredSchemaTakesTheNarrowestTypeThatFitsTest {

    /** {@code pipeline.convert.parser}: both parsers must read the sample and the file alike. */
    @Parameter
    String parser;

    @TempDir
    Path dir;

    @Test
    void eachColumnGetsTheNarrowestTypeOfItsValues() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv("""
                Trip ID,Duration,Fare,Member?,Day,Started At,Ended At UTC,Ratio,Start Station,Zip,Note,nothing
                10000000001,600,12.345,true,2026-03-01,2026-03-01 08:15:00,2026-03-01T08:25:00Z,1.5e3,\
                "Café, ""Old"" Port",00501,,
                10000000002,-42,-0.5,FALSE,2026-03-02,2026-03-01T09:00:00.25,2026-03-01T10:25:00+02:00,-2,\
                Main St,10001,a note,
                """);

        InferredSchema inferred = stage.infer(csv, 20_000);

        Map<String, String> types = inferred.columns().stream()
                .collect(Collectors.toMap(InferredSchema.Column::name, InferredSchema.Column::type));
        assertEquals(Map.ofEntries(
                Map.entry("trip_id", "long"), Map.entry("duration", "int"), Map.entry("fare", "decimal(18,3)"),
                Map.entry("member", "boolean"), Map.entry("day", "date"), Map.entry("started_at", "timestamp"),
                Map.entry("ended_at_utc", "timestamptz"), Map.entry("ratio", "double"),
                Map.entry("start_station", "string"), Map.entry("zip", "string"), Map.entry("note", "string"),
                Map.entry("nothing", "string")), types);
        assertEquals(2, inferred.sampleRows());
        Schema avro = inferred.avro();
        assertTrue(AvroSchemas.isNullable(avro.getField("note").schema()), "a column with an empty value is optional");
        assertTrue(AvroSchemas.isNullable(avro.getField("nothing").schema()));
        assertEquals(Schema.Type.LONG, avro.getField("trip_id").schema().getType(), "required: no empty value");
        InferredSchema.Column station = inferred.columns().get(8);
        assertEquals("Start Station", station.header());
        assertEquals("Café, \"Old\" Port", station.example());
        assertEquals(1, inferred.columns().get(10).nulls());
    }

    @Test
    void headersBecomeSnakeCaseNamesAndTwoThatMeetFail() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);

        Path csv = stage.csv("Start Station,product-id,tripId,HTTPCode,Crème,#,2024 Sales\n1,2,3,4,5,6,7\n");

        InferredSchema inferred = stage.infer(csv, 10);
        Exchange converted = stage.runInferred(csv);
        BadInputException clash = assertThrows(BadInputException.class,
                () -> stage.infer(stage.csv("Start Station,start_station\n1,2\n"), 10));

        assertEquals(List.of("start_station", "product_id", "trip_id", "http_code", "creme", "column_6",
                "column_2024_sales"),
                inferred.columns().stream().map(InferredSchema.Column::name).toList());
        assertNull(converted.getException(), () -> "each column found under its name: " + converted.getException());
        assertEquals(1, converted.getProperty(ConversionResult.PROPERTY, ConversionResult.class).rowsWritten());
        assertTrue(clash.getMessage().contains("'Start Station' (column 1) and 'start_station' (column 2)"),
                clash.getMessage());
    }

    @Test
    void theSampleDecidesAndLaterRowsAreNotRead() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);

        InferredSchema inferred = stage.infer(stage.csv("n\n1\n2\n2.5\n"), 2);

        assertEquals("int", inferred.columns().get(0).type());
        assertEquals(2, inferred.sampleRows());
    }

    @Test
    void typesJoinWithoutLosingADigit() {
        assertEquals(ColumnType.LONG, ColumnType.INT.join(ColumnType.LONG));
        assertEquals(ColumnType.decimal(10, 1), ColumnType.INT.join(ColumnType.decimal(2, 1)));
        assertEquals("decimal(38,1)", ColumnType.LONG.join(ColumnType.decimal(2, 1)).describe());
        assertEquals(ColumnType.STRING, ColumnType.decimal(30, 8).join(ColumnType.decimal(1, 9)), "past 38 digits");
        assertEquals(ColumnType.DOUBLE, ColumnType.INT.join(ColumnType.DOUBLE));
        assertEquals(ColumnType.STRING, ColumnType.LONG.join(ColumnType.DOUBLE), "19 digits do not fit a double");
        assertEquals(ColumnType.TIMESTAMP, ColumnType.DATE.join(ColumnType.LOCAL_TIMESTAMP).join(ColumnType.TIMESTAMP));
        assertEquals(ColumnType.STRING, ColumnType.BOOLEAN.join(ColumnType.INT));
        assertEquals(ColumnType.INT.asNullable(), ColumnType.NONE.asNullable().join(ColumnType.INT));
    }

    @Test
    void aValueAfterTheSampleWidensItsColumnAndTheFileIsConvertedAgain() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser).with("pipeline.convert.inferSampleRows", "3");
        Path csv = stage.csv("id,fare,code,name\n1,7,10,a\n2,8,11,b\n3,9,12,c\n4,12.5,13,d\n5,10,A7,\n6,11,14,f\n");

        Exchange exchange = stage.runInferred(csv);

        assertNull(exchange.getException(), () -> "conversion failed: " + exchange.getException());
        RunSchema schema = exchange.getProperty(Pipeline.SCHEMA, RunSchema.class);
        assertEquals(List.of(
                new RunSchema.Widening("fare", 5, "12.5", "int", "decimal(18,1)"),
                new RunSchema.Widening("code", 6, "A7", "int", "string"),
                new RunSchema.Widening("name", 6, "", "string", "string (optional)")), schema.widenings());
        assertEquals(1, schema.passes(), "every column widened in one pass");
        ConversionResult result = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        assertEquals(6, result.rowsWritten());
        List<GenericRecord> rows = ParquetFiles.records(result.parquetFile());
        MessageType parquet = ParquetFiles.schema(result.parquetFile());
        var fare = (LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) parquet.getType("fare")
                .getLogicalTypeAnnotation();
        assertEquals(List.of("7.0", "8.0", "9.0", "12.5", "10.0", "11.0"), rows.stream()
                .map(r -> BigDecimal.valueOf((Long) r.get("fare"), fare.getScale()).toPlainString()).toList());
        assertEquals(List.of("10", "11", "12", "13", "A7", "14"), rows.stream().map(r -> ConvertStage.text(r, "code"))
                .toList());
        assertNull(rows.get(4).get("name"));
    }

    @Test
    void leadingZerosAndYesNoAfterTheSampleAreNotReadAsNumbersOrBooleans() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser).with("pipeline.convert.inferSampleRows", "1");
        Path csv = stage.csv("zip,ok\n10001,true\n00501,yes\n");

        Exchange exchange = stage.runInferred(csv);

        RunSchema schema = exchange.getProperty(Pipeline.SCHEMA, RunSchema.class);
        assertEquals(List.of("zip", "ok"), schema.widenings().stream().map(RunSchema.Widening::column).toList());
        List<GenericRecord> rows = ParquetFiles.records(
                exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class).parquetFile());
        assertEquals("00501", ConvertStage.text(rows.get(1), "zip"));
        assertEquals("yes", ConvertStage.text(rows.get(1), "ok"));
    }

    @Test
    void wallClockTimesAreKeptAsWrittenAndInstantsAsInstants() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv("local,instant\n2026-03-01 08:15:00,2026-03-01T08:15:00+02:00\n");

        Exchange exchange = stage.runInferred(csv);

        ConversionResult result = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        MessageType parquet = ParquetFiles.schema(result.parquetFile());
        assertEquals(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS),
                parquet.getType("local").getLogicalTypeAnnotation());
        assertEquals(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS),
                parquet.getType("instant").getLogicalTypeAnnotation());
        GenericRecord row = ParquetFiles.records(result.parquetFile()).get(0);
        assertEquals(LocalDateTime.of(2026, 3, 1, 8, 15), micros(row.get("local")));
        assertEquals(LocalDateTime.of(2026, 3, 1, 6, 15), micros(row.get("instant")));
    }

    private static LocalDateTime micros(Object value) {
        Object v = value;
        long micros = v instanceof LocalDateTime t ? t.toEpochSecond(ZoneOffset.UTC) * 1_000_000
                : v instanceof java.time.Instant i ? i.getEpochSecond() * 1_000_000 : (Long) v;
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000), 0, ZoneOffset.UTC);
    }
}
