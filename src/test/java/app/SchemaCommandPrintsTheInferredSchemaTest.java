package app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.Schema;
import config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code schema <csv> [--sample N]}: the inferred Avro schema on standard output, ready to save; the columns, their
 * types, an example value and the nulls seen on standard error; the convert's settings apply; bad arguments exit 2.
 */
class SchemaCommandPrintsTheInferredSchemaTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void theSchemaGoesToStandardOutputAndTheColumnsToStandardError() throws Exception {
        Path csv = Files.writeString(dir.resolve("rides.csv"), "Ride ID;Fare;Note\n1;2.50;\n2;3;NULL\n3;4.5;x\n");

        int exit = run(Map.of("pipeline.convert.delimiter", "semicolon", "pipeline.convert.nullString", "NULL"),
                csv.toString(), "--sample", "2");

        assertEquals(0, exit, text(err));
        Schema schema = new Schema.Parser().parse(text(out));
        assertEquals(List.of("ride_id", "fare", "note"), schema.getFields().stream().map(Schema.Field::name).toList());
        assertEquals("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":2}",
                schema.getField("fare").schema().toString());
        String table = text(err);
        assertTrue(table.contains("| Ride ID    | ride_id | int           | 1       | 0     |"), table);
        assertTrue(table.contains("| Note       | note    | string        |         | 2     |"), table);
        assertTrue(table.contains("3 column(s), from the first 2 data row(s) of " + csv), table);
    }

    @Test
    void badArgumentsExitTwoWithTheUsage() throws Exception {
        assertEquals(2, run(Map.of()));
        assertEquals(2, run(Map.of(), dir.resolve("absent.csv").toString()));
        assertEquals(2, run(Map.of(), "x.csv", "--sample", "none"));
        assertTrue(text(err).contains("usage: schema <csv> [--sample N]"), text(err));
        assertTrue(text(err).contains("absent.csv is not a file"), text(err));
    }

    private int run(Map<String, String> settings, String... args) {
        return SchemaCommand.run(List.of(args), new Settings(key -> Optional.ofNullable(settings.get(key))),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
