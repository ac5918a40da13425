package convert;

import core.ConversionResult;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import core.BadInputException;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import support.ParquetFiles;

import static convert.ConvertStage.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static support.ParquetFiles.records;

/**
 * Every supported Avro type is parsed from text into the right Parquet type, nulls included, stored as Iceberg's spec
 * stores it: decimals of up to 18 digits as ints or longs, timestamps in microseconds.
 */
@ParameterizedClass(name = "parser={0}")
@ValueSource(strings = {"fast", "camel-csv"})
class TypedFieldsTest {

    private static final String ALL_TYPES = """
            {"type": "record", "name": "Typed", "fields": [
              {"name": "id", "type": "long"},
              {"name": "ratio", "type": "float"},
              {"name": "score", "type": "double"},
              {"name": "active", "type": "boolean"},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "at_millis", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "at_micros", "type": {"type": "long", "logicalType": "timestamp-micros"}},
              {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 7, "scale": 2}},
              {"name": "weight", "type": {"type": "fixed", "name": "Weight", "size": 8,
                                          "logicalType": "decimal", "precision": 12, "scale": 3}}
            ]}""";

    private static final String NULLABLE = """
            {"type": "record", "name": "Nullable", "fields": [
              {"name": "id", "type": "int"},
              {"name": "note", "type": ["null", "string"], "default": null},
              {"name": "qty", "type": ["null", "int"], "default": null},
              {"name": "day", "type": ["null", {"type": "int", "logicalType": "date"}], "default": null},
              {"name": "absent", "type": ["null", "string"], "default": null}
            ]}""";

    /** {@code pipeline.convert.parser}: both parsers must read and reject alike. */
    @Parameter
    String parser;

    @TempDir
    Path dir;

    /** Numbers, booleans, dates, timestamps and decimals come back with their values and logical types. */
    @Test
    void everySupportedTypeIsWrittenWithItsParquetType() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser).schema(ALL_TYPES);
        Path csv = stage.csv("id,ratio,score,active,day,at_millis,at_micros,price,weight\n"
                + "9000000000,0.5,-1.25e3,TRUE,2024-02-29,2024-03-01T10:15:30.123,2024-03-01T10:15:30.123456+02:00,"
                + "12345.6,-1.5\n"
                + "1,NaN,3,no,1970-01-01,2024-03-01 10:15:30Z,1970-01-01T00:00:00Z,-0.01,123456789.123\n");

        ConversionResult result = stage.convert(csv);

        List<GenericRecord> rows = records(result.parquetFile());
        MessageType parquet = ParquetFiles.schema(result.parquetFile());
        GenericRecord first = rows.get(0);
        assertEquals(9_000_000_000L, first.get("id"));
        assertEquals(0.5f, first.get("ratio"));
        assertEquals(-1250.0, first.get("score"));
        assertEquals(true, first.get("active"));
        assertEquals((int) LocalDate.of(2024, 2, 29).toEpochDay(), first.get("day"));
        // timestamp-millis values are stored in microseconds, as Iceberg stores every timestamp
        assertEquals(Instant.parse("2024-03-01T10:15:30.123Z").toEpochMilli() * 1000, first.get("at_millis"));
        assertEquals(Instant.parse("2024-03-01T08:15:30.123456Z").toEpochMilli() * 1000 + 456,
                first.get("at_micros"));
        assertEquals(new BigDecimal("12345.60"), decimal(parquet, first, "price"));
        assertEquals(new BigDecimal("-1.500"), decimal(parquet, first, "weight"));
        GenericRecord second = rows.get(1);
        assertEquals(Float.NaN, second.get("ratio"));
        assertEquals(false, second.get("active"));
        assertEquals(0, second.get("day"));
        assertEquals(Instant.parse("2024-03-01T10:15:30Z").toEpochMilli() * 1000, second.get("at_millis"));
        assertEquals(0L, second.get("at_micros"));
        assertEquals(new BigDecimal("-0.01"), decimal(parquet, second, "price"));
        assertEquals(new BigDecimal("123456789.123"), decimal(parquet, second, "weight"));

        assertEquals(PrimitiveTypeName.INT64, primitive(parquet, "id"));
        assertEquals(PrimitiveTypeName.FLOAT, primitive(parquet, "ratio"));
        assertEquals(PrimitiveTypeName.BOOLEAN, primitive(parquet, "active"));
        assertEquals(LogicalTypeAnnotation.dateType(), parquet.getType("day").getLogicalTypeAnnotation());
        assertEquals(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS),
                parquet.getType("at_millis").getLogicalTypeAnnotation());
        assertEquals(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS),
                parquet.getType("at_micros").getLogicalTypeAnnotation());
        assertEquals(LogicalTypeAnnotation.decimalType(2, 7), parquet.getType("price").getLogicalTypeAnnotation());
        assertEquals(PrimitiveTypeName.INT32, primitive(parquet, "price"));
        assertEquals(LogicalTypeAnnotation.decimalType(3, 12), parquet.getType("weight").getLogicalTypeAnnotation());
        assertEquals(PrimitiveTypeName.INT64, primitive(parquet, "weight"));
    }

    /**
     * Decimals are stored as Iceberg's spec stores them in Parquet, which Spark's readers need: the unscaled value as
     * an int up to 9 digits, a long up to 18, a fixed of the fewest bytes beyond, whatever the Avro type (bytes, or a
     * fixed of any size); every value exact at each end of its range. The footer then carries no Avro schema, which
     * could not describe such an int or long.
     */
    @Test
    void decimalsAreStoredAsIcebergStoresThem() throws Exception {
        String schema = """
                {"type": "record", "name": "Amounts", "fields": [
                  {"name": "nine", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
                  {"name": "eighteen", "type": {"type": "fixed", "name": "Eighteen", "size": 8,
                                                "logicalType": "decimal", "precision": 18, "scale": 0}},
                  {"name": "twenty", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 20,
                                                       "scale": 4}], "default": null},
                  {"name": "wide", "type": {"type": "fixed", "name": "Wide", "size": 11,
                                            "logicalType": "decimal", "precision": 25, "scale": 2}},
                  {"name": "roomy", "type": {"type": "fixed", "name": "Roomy", "size": 16,
                                             "logicalType": "decimal", "precision": 25, "scale": 2}}
                ]}""";
        ConvertStage stage = new ConvertStage(dir, parser).schema(schema);

        ConversionResult result = stage.convert(stage.csv("nine,eighteen,twenty,wide,roomy\n"
                + "9999999.99,999999999999999999,9999999999999999.9999,99999999999999999999999.99,-0.01\n"
                + "-9999999.99,-999999999999999999,,-0.01,-99999999999999999999999.99\n"));

        MessageType parquet = ParquetFiles.schema(result.parquetFile());
        assertEquals(PrimitiveTypeName.INT32, primitive(parquet, "nine"));
        assertEquals(PrimitiveTypeName.INT64, primitive(parquet, "eighteen"));
        assertEquals(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, primitive(parquet, "twenty"));
        assertEquals(9, parquet.getType("twenty").asPrimitiveType().getTypeLength());
        assertEquals(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, primitive(parquet, "wide"));
        assertEquals(11, parquet.getType("wide").asPrimitiveType().getTypeLength());
        assertEquals(11, parquet.getType("roomy").asPrimitiveType().getTypeLength());
        assertEquals(LogicalTypeAnnotation.decimalType(0, 18), parquet.getType("eighteen").getLogicalTypeAnnotation());
        assertFalse(ParquetFiles.footer(result.parquetFile()).getFileMetaData().getKeyValueMetaData()
                .containsKey("parquet.avro.schema"));
        List<GenericRecord> rows = records(result.parquetFile());
        assertEquals(List.of(new BigDecimal("9999999.99"), new BigDecimal("-9999999.99")),
                rows.stream().map(r -> decimal(parquet, r, "nine")).toList());
        assertEquals(List.of(new BigDecimal("999999999999999999"), new BigDecimal("-999999999999999999")),
                rows.stream().map(r -> decimal(parquet, r, "eighteen")).toList());
        assertEquals(new BigDecimal("9999999999999999.9999"), decimal(parquet, rows.get(0), "twenty"));
        assertNull(rows.get(1).get("twenty"));
        assertEquals(List.of(new BigDecimal("99999999999999999999999.99"), new BigDecimal("-0.01")),
                rows.stream().map(r -> decimal(parquet, r, "wide")).toList());
        assertEquals(List.of(new BigDecimal("-0.01"), new BigDecimal("-99999999999999999999999.99")),
                rows.stream().map(r -> decimal(parquet, r, "roomy")).toList());
    }

    /** Empty values and the configured null string are nulls in nullable fields; a nullable field may lack a column. */
    @Test
    void nullableFieldsTakeEmptyValuesAndTheNullString() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser).schema(NULLABLE).with("pipeline.convert.nullString", "NULL");
        Path csv = stage.csv("id,note,qty,day\n1,,,\n2,NULL,NULL,NULL\n3,hello,7,2024-01-31\n");

        ConversionResult result = stage.convert(csv);

        List<GenericRecord> rows = records(result.parquetFile());
        for (GenericRecord row : rows.subList(0, 2)) {
            assertNull(row.get("note"));
            assertNull(row.get("qty"));
            assertNull(row.get("day"));
            assertNull(row.get("absent"));
        }
        assertEquals("hello", text(rows.get(2), "note"));
        assertEquals(List.of("the CSV has no column for the nullable field(s) absent of the schema: they are null in"
                + " every row"), result.warnings());
        assertEquals(7, rows.get(2).get("qty"));
        assertEquals((int) LocalDate.of(2024, 1, 31).toEpochDay(), rows.get(2).get("day"));
        assertEquals(Type.Repetition.OPTIONAL,
                ParquetFiles.schema(result.parquetFile()).getType("qty").getRepetition());
    }

    /** Custom date and timestamp patterns are used; "yyyy" works and impossible dates are rejected. */
    @Test
    void customDateAndTimestampPatternsAreStrict() throws Exception {
        String schema = """
                {"type": "record", "name": "Dated", "fields": [
                  {"name": "day", "type": {"type": "int", "logicalType": "date"}},
                  {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}}
                ]}""";
        ConvertStage stage = new ConvertStage(dir, parser).schema(schema)
                .with("pipeline.convert.dateFormat", "dd/MM/yyyy")
                .with("pipeline.convert.timestampFormat", "dd/MM/yyyy HH:mm");

        GenericRecord row = records(stage.convert(stage.csv("day,at\n31/12/2023,01/02/2024 13:45\n")).parquetFile())
                .get(0);
        String message = stage.fail(stage.csv("day,at\n30/02/2024,01/02/2024 13:45\n"), BadInputException.class)
                .getMessage();

        assertEquals((int) LocalDate.of(2023, 12, 31).toEpochDay(), row.get("day"));
        assertEquals(Instant.parse("2024-02-01T13:45:00Z").toEpochMilli() * 1000, row.get("at")); // stored in micros
        assertEquals("line 2, column day, value '30/02/2024': not a date in the format dd/MM/yyyy"
                + " (pipeline.convert.dateFormat)", message);
    }

    /** A common null marker in a typed column points at pipeline.convert.nullString, and at the field if required. */
    @Test
    void aNullMarkerInATypedColumnPointsAtTheNullString() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser).schema(NULLABLE);

        String required = stage.fail(stage.csv("id,note,qty,day\nNULL,a,1,\n"), BadInputException.class)
                .getMessage();
        String nullable = stage.fail(stage.csv("id,note,qty,day\n1,a,N/A,\n"), BadInputException.class).getMessage();

        assertEquals("line 2, column id, value 'NULL': not an int; if 'NULL' means no value, set"
                + " pipeline.convert.nullString=NULL and make field id nullable ([\"null\", ...] in the schema)",
                required);
        assertEquals("line 2, column qty, value 'N/A': not an int; if 'N/A' means no value, set"
                + " pipeline.convert.nullString=N/A", nullable);
    }

    /** A timestamp in another format names the format expected and the setting that changes it. */
    @Test
    void aTimestampInAnotherFormatNamesTheFormatAndTheSetting() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser).schema("""
                {"type": "record", "name": "T", "fields": [
                  {"name": "at", "type": {"type": "long", "logicalType": "local-timestamp-micros"}}]}""");

        String message = stage.fail(stage.csv("at\n03/01/2026 08:15\n"), BadInputException.class).getMessage();

        assertTrue(message.startsWith("line 2, column at, value '03/01/2026 08:15': not a timestamp in the format"
                + " ISO-8601"), message);
        assertTrue(message.contains("pipeline.convert.timestampFormat, a java.time pattern such as MM/dd/yyyy HH:mm"),
                message);
    }

    /**
     * An instant without an offset is in pipeline.convert.timeZone (a date is its midnight); a wall-clock time keeps
     * what it says, and refuses an offset.
     */
    @Test
    void zoneLessInstantsAreInTheTimeZoneAndWallClockTimesAsWritten() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser).schema("""
                {"type": "record", "name": "T", "fields": [
                  {"name": "at", "type": {"type": "long", "logicalType": "timestamp-micros"}},
                  {"name": "wall", "type": {"type": "long", "logicalType": "local-timestamp-millis"}}]}""")
                .with("pipeline.convert.timeZone", "Europe/Paris");

        List<GenericRecord> rows = records(stage.convert(stage.csv(
                "at,wall\n2026-07-01 08:15:00,2026-07-01 08:15:00\n2026-07-01T08:15:00Z,2026-03-29\n")).parquetFile());
        String offset = stage.fail(stage.csv("at,wall\n2026-07-01 08:15:00,2026-07-01T08:15:00+02:00\n"),
                BadInputException.class).getMessage();

        assertEquals(Instant.parse("2026-07-01T06:15:00Z"), instant(rows.get(0).get("at")));
        assertEquals(Instant.parse("2026-07-01T08:15:00Z"), instant(rows.get(1).get("at")));
        assertEquals(java.time.LocalDateTime.of(2026, 7, 1, 8, 15), wallClock(rows.get(0).get("wall")));
        assertEquals(java.time.LocalDateTime.of(2026, 3, 29, 0, 0), wallClock(rows.get(1).get("wall")));
        assertTrue(offset.contains("has an offset, but the field holds wall-clock times"), offset);
    }

    private static Instant instant(Object value) {
        return value instanceof Instant i ? i : Instant.EPOCH.plus(java.time.Duration.ofNanos((Long) value * 1000));
    }

    private static java.time.LocalDateTime wallClock(Object value) {
        return value instanceof java.time.LocalDateTime t ? t
                : java.time.LocalDateTime.ofEpochSecond(Math.floorDiv((Long) value, 1_000_000), 0,
                        java.time.ZoneOffset.UTC);
    }

    /** A decimal that would lose digits to the scale, or exceed the precision, is a bad row, not a rounded one. */
    @Test
    void decimalsAreNeverRounded() throws Exception {
        String schema = """
                {"type": "record", "name": "Priced", "fields": [
                  {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2}}
                ]}""";
        ConvertStage stage = new ConvertStage(dir, parser).schema(schema).with("pipeline.convert.onBadRow", "skip");

        ConversionResult result = stage.convert(stage.csv("price\n1.5\n1.234\n1000.00\n999.99\n1.2.3\n"));

        MessageType parquet = ParquetFiles.schema(result.parquetFile());
        assertEquals(List.of(new BigDecimal("1.50"), new BigDecimal("999.99")),
                records(result.parquetFile()).stream().map(r -> decimal(parquet, r, "price")).toList());
        assertEquals("""
                line,reason,original
                3,"column price, value '1.234': has more than 2 decimal places for decimal(5,2)",1.234
                4,"column price, value '1000.00': has more digits than decimal(5,2) holds",1000.00
                6,"column price, value '1.2.3': not a decimal",1.2.3
                """, Files.readString(result.rejectsFile()));
    }

    /** Values that are not of their field's type are rejected with a reason naming the type. */
    @Test
    void badValuesNameTheExpectedType() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser).schema(ALL_TYPES).with("pipeline.convert.onBadRow", "skip")
                .with("pipeline.convert.maxRejects", "100");
        String good = "1,0.5,1,true,2024-01-01,2024-01-01T00:00:00,2024-01-01T00:00:00,1,1";
        String[] bad = {
            "1.0,0.5,1,true,2024-01-01,2024-01-01T00:00:00,2024-01-01T00:00:00,1,1",
            "1,1f,1,true,2024-01-01,2024-01-01T00:00:00,2024-01-01T00:00:00,1,1",
            "1,0.5, 1,true,2024-01-01,2024-01-01T00:00:00,2024-01-01T00:00:00,1,1",
            "1,0.5,1,maybe,2024-01-01,2024-01-01T00:00:00,2024-01-01T00:00:00,1,1",
            "1,0.5,1,true,2024-1-1,2024-01-01T00:00:00,2024-01-01T00:00:00,1,1",
            "1,0.5,1,true,2024-01-01,yesterday,2024-01-01T00:00:00,1,1",
            "1,0.5,1,true,2024-01-01,2024-01-01T00:00:00.0001,2024-01-01T00:00:00,1,1",
        };

        ConversionResult result = stage.convert(stage.csv(
                "id,ratio,score,active,day,at_millis,at_micros,price,weight\n" + good + "\n" + String.join("\n", bad)));

        assertEquals(1, result.rowsWritten());
        String rejects = Files.readString(result.rejectsFile());
        for (String reason : List.of("not a long", "not a float", "not a double",
                "not a boolean (true, false, yes or no)", "not a date in the format yyyy-MM-dd",
                "not a timestamp in the format ISO-8601", "has digits finer than milliseconds")) {
            assertTrue(rejects.contains(reason), reason + " in " + rejects);
        }
    }

    private static PrimitiveTypeName primitive(MessageType schema, String field) {
        return schema.getType(field).asPrimitiveType().getPrimitiveTypeName();
    }

    /**
     * The decimal {@code field} of {@code record} as read by parquet-avro: an int or long is its unscaled value, the
     * scale in the file's Parquet schema; bytes and fixed are Avro's decimals.
     */
    private static BigDecimal decimal(MessageType parquet, GenericRecord record, String field) {
        Object value = record.get(field);
        if (value instanceof Integer || value instanceof Long) {
            var annotation = (LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) parquet.getType(field)
                    .getLogicalTypeAnnotation();
            return BigDecimal.valueOf(((Number) value).longValue(), annotation.getScale());
        }
        Schema schema = AvroSchemas.nonNull(record.getSchema().getField(field).schema());
        LogicalTypes.Decimal type = (LogicalTypes.Decimal) schema.getLogicalType();
        Conversions.DecimalConversion conversion = new Conversions.DecimalConversion();
        return value instanceof GenericFixed fixed
                ? conversion.fromFixed(fixed, schema, type)
                : conversion.fromBytes((ByteBuffer) value, schema, type);
    }
}
