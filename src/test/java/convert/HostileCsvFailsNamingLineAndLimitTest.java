package convert;

import core.ConversionResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import core.BadInputException;
import config.ConvertConfig;
import config.Settings;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static convert.ConvertStage.PRODUCTS_HEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static support.ParquetFiles.records;

/**
 * A CSV built to exhaust the heap (too many fields, a huge field or record, a quote never closed) or to hide a column
 * (a header name given twice) fails on either parser with a message naming the line or column and the limit.
 */
class HostileCsvFailsNamingLineAndLimitTest {

    @TempDir
    Path dir;

    /** A hostile CSV, the limits it is read with, and the message it fails with. */
    record Hostile(String what, Map<String, String> settings, String csv, String message) {

        @Override
        public String toString() {
            return what;
        }
    }

    /** Each hostile input on each parser ({@code pipeline.convert.parser}): both must refuse alike. */
    static Stream<Arguments> hostileInputs() {
        return Stream.of("fast", "camel-csv").flatMap(parser -> hostile().map(input -> Arguments.of(parser, input)));
    }

    private static Stream<Hostile> hostile() {
        String part = "x".repeat(400);
        return Stream.of(
                new Hostile("a header name given twice", Map.of(),
                        "product_id,brand,product_name,product_category,brand\n1,BenQ,Lamp,Home,Other\n",
                        "the header names the column 'brand' twice (columns 2 and 5)"),
                new Hostile("a quote never closed", Map.of(),
                        PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n2,Mat,\"Sports\n\n3,Pan,Kitchen,Lodge\n",
                        "unterminated quoted field starting on line 3"),
                // the default limit: a line of 300,000 delimiters is refused without building 300,000 fields
                new Hostile("a line of delimiters over the default field limit", Map.of(),
                        PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n" + ",".repeat(300_000) + "\n",
                        "line 3: the record has more than 10000 fields (pipeline.convert.maxFieldsPerRecord)"),
                new Hostile("a record over the field limit of the property",
                        Map.of("pipeline.convert.maxFieldsPerRecord", "5"),
                        PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n2,Mat,Sports,Manduka,y,z\n",
                        "line 3: the record has more than 5 fields (pipeline.convert.maxFieldsPerRecord)"),
                // bytes are UTF-8 bytes for both parsers: 600 'é' are 1,200 bytes
                new Hostile("an unquoted field over the byte limit", Map.of("pipeline.convert.maxFieldBytes", "1KB"),
                        PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n\n2,Mat," + "é".repeat(600) + ",Manduka\n",
                        "line 4: a field is longer than 1 KB (pipeline.convert.maxFieldBytes)"),
                // a quote left open swallows the rest of the file: the limit stops it where it started
                new Hostile("a quoted field over the byte limit", Map.of("pipeline.convert.maxFieldBytes", "1KB"),
                        PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n2,\"Mat,Sports,Manduka\n"
                        + "3,Pan,Kitchen,Lodge\n".repeat(200),
                        "line 3: a quoted field starting there is longer than 1 KB (pipeline.convert.maxFieldBytes);"
                        + " is a quote left open?"),
                new Hostile("a record over the byte limit", Map.of("pipeline.convert.maxRecordBytes", "1000"),
                        PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n2," + part + "," + part + "," + part + "\n",
                        "line 3: the record is longer than 1000 bytes (pipeline.convert.maxRecordBytes)"));
    }

    @ParameterizedTest(name = "parser={0}: {1}")
    @MethodSource("hostileInputs")
    void failsNamingTheLineOrColumnAndTheLimit(String parser, Hostile hostile) throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        hostile.settings().forEach(stage::with);
        Path csv = stage.csv(hostile.csv());

        assertEquals(hostile.message(), stage.fail(csv, BadInputException.class).getMessage());
    }

    /**
     * A record exactly at every limit is read whole: a field's bytes as written between its quotes, a record's without
     * its line end.
     */
    @ParameterizedTest(name = "parser={0}")
    @ValueSource(strings = {"fast", "camel-csv"})
    void recordAtTheLimitsIsRead(String parser) throws Exception {
        String name = "\"a, \"\"b\"\" longer than the header\"";
        String row = "2," + name + ",Sports,Manduka";
        ConvertStage stage = new ConvertStage(dir, parser)
                .with("pipeline.convert.maxFieldsPerRecord", "4")
                .with("pipeline.convert.maxFieldBytes", String.valueOf(name.length() - 2))
                .with("pipeline.convert.maxRecordBytes", String.valueOf(row.length()));

        ConversionResult result = stage.convert(stage.csv(PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n" + row + "\r\n"));

        List<GenericRecord> records = records(result.parquetFile());
        assertEquals("a, \"b\" longer than the header", ConvertStage.text(records.get(1), "product_name"));
    }

    @Test
    void limitsOutOfRangeAreRefusedAtStartup() {
        Settings s = new Settings(key -> Optional.of(key.equals("pipeline.convert.maxFieldsPerRecord") ? "0"
                : key.equals("pipeline.convert.maxRecordBytes") ? "2GB" : "").filter(v -> !v.isEmpty()));
        ConvertConfig.from(s);

        assertEquals(List.of("pipeline.convert.maxFieldsPerRecord must be between 1 and 1073741819, was 0",
                "pipeline.convert.maxRecordBytes must be between 1 and 536870909, was 2GB"), s.problems());
    }
}
