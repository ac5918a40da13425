package convert;

import java.nio.file.Files;
import java.nio.file.Path;

import config.ConfigurationException;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema file is checked at load time, and every problem names the property, the file and the cause. */
class AvroSchemasTest {

    @TempDir
    Path dir;

    /** The bundled Product schema loads from the classpath. */
    @Test
    void productSchemaLoadsFromTheClasspath() {
        Schema schema = AvroSchemas.load("classpath:schemas/products.avsc");

        assertEquals("com.kestra.product.Product", schema.getFullName());
        assertEquals(Schema.Type.INT, schema.getField("product_id").schema().getType());
    }

    /** Malformed JSON fails with the property, the file and the parser's position. */
    @Test
    void malformedJsonNamesPropertyFileAndPosition() throws Exception {
        Path file = dir.resolve("broken.avsc");
        Files.writeString(file, "{\"type\": \"record\", \"name\": \"P\",\n \"fields\": [ {\"name\": \"a\" \"type\": \"int\"} ]}");

        String message = assertThrows(ConfigurationException.class, () -> AvroSchemas.load(file.toString()))
                .getMessage();

        assertTrue(message.contains("pipeline.convert.schema = " + file), message);
        assertTrue(message.contains("line: 2"), message);
        assertTrue(message.contains("column: "), message);
    }

    /** A missing file or classpath resource fails with the property and the location. */
    @Test
    void missingFileNamesTheProperty() {
        String file = dir.resolve("absent.avsc").toString();

        String fromFile = assertThrows(ConfigurationException.class, () -> AvroSchemas.load(file)).getMessage();
        String fromClasspath = assertThrows(ConfigurationException.class,
                () -> AvroSchemas.load("classpath:schemas/absent.avsc")).getMessage();

        assertTrue(fromFile.contains("pipeline.convert.schema = " + file + ": no such file"), fromFile);
        assertTrue(fromClasspath.contains("classpath:schemas/absent.avsc: no such file"), fromClasspath);
    }

    /** A field name S3 Tables and Athena would refuse (upper case) fails naming the rule, whatever the catalog. */
    @Test
    void anUpperCaseFieldNameIsRefusedNamingTheRule() throws Exception {
        Path file = dir.resolve("upper.avsc");
        Files.writeString(file, """
                {"type": "record", "name": "Trip", "fields": [
                  {"name": "trip_id", "type": "long"}, {"name": "StartStation", "type": "string"}]}""");

        String message = assertThrows(ConfigurationException.class, () -> AvroSchemas.load(file.toString()))
                .getMessage();

        assertTrue(message.contains("pipeline.convert.schema = " + file), message);
        assertTrue(message.contains("StartStation must be 1 to 255 lower-case letters, digits and underscores"),
                message);
        assertFalse(message.contains("trip_id"), message);
    }

    /** A schema that is not a record is refused. */
    @Test
    void nonRecordSchemaIsRefused() throws Exception {
        Path file = dir.resolve("string.avsc");
        Files.writeString(file, "\"string\"");

        String message = assertThrows(ConfigurationException.class, () -> AvroSchemas.load(file.toString()))
                .getMessage();

        assertTrue(message.contains("the schema must be a record, was string"), message);
    }

    /** Unsupported field types are refused, each named with its field. */
    @Test
    void unsupportedFieldTypesAreNamed() throws Exception {
        Path file = dir.resolve("unsupported.avsc");
        Files.writeString(file, """
                {"type": "record", "name": "P", "fields": [
                  {"name": "ok", "type": ["null", "string"]},
                  {"name": "tags", "type": {"type": "array", "items": "string"}},
                  {"name": "either", "type": ["null", "int", "string"]},
                  {"name": "clock", "type": {"type": "int", "logicalType": "time-millis"}},
                  {"name": "raw", "type": "bytes"}
                ]}""");

        String message = assertThrows(ConfigurationException.class, () -> AvroSchemas.load(file.toString()))
                .getMessage();

        assertTrue(message.contains("field tags has type"), message);
        assertTrue(message.contains("field either has type"), message);
        assertTrue(message.contains("field clock has type"), message);
        assertTrue(message.contains("field raw has type"), message);
        assertFalse(message.contains("field ok"), message);
    }

    /** A date pattern that java.time cannot read is a configuration error when the processor is built. */
    @Test
    void invalidDatePatternIsAConfigurationError() throws Exception {
        ConvertStage stage = new ConvertStage(dir).schema("""
                {"type": "record", "name": "D", "fields": [
                  {"name": "day", "type": {"type": "int", "logicalType": "date"}}]}""")
                .with("pipeline.convert.dateFormat", "yyyy-MM-dd bbb");

        String message = assertThrows(ConfigurationException.class,
                () -> new ParquetWriterProcessor(stage.config(), stage.schema(), dir)).getMessage();

        assertTrue(message.contains("pipeline.convert.dateFormat"), message);
    }
}
