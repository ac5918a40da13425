package convert;

import core.ConversionResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import core.BadInputException;
import config.ConvertConfig;
import config.Settings;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
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

    @ParameterizedTest
    @ValueSource(strings = {"fast", "camel-csv"})
    void duplicateHeaderNameIsNamed(String parser) throws Exception {
        ConvertStage stage = stage(parser);
        Path csv = stage.csv("product_id,brand,product_name,product_category,brand\n1,BenQ,Lamp,Home,Other\n");

        assertEquals("the header names the column 'brand' twice (columns 2 and 5)",
                stage.fail(csv, BadInputException.class).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "camel-csv"})
    void unterminatedQuoteNamesTheLineItStartsOn(String parser) throws Exception {
        ConvertStage stage = stage(parser);
        Path csv = stage.csv(PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n2,Mat,\"Sports\n\n3,Pan,Kitchen,Lodge\n");

        assertEquals("unterminated quoted field starting on line 3",
                stage.fail(csv, BadInputException.class).getMessage());
    }

    /** The default limit: a line of 300,000 delimiters is refused without building 300,000 fields. */
    @ParameterizedTest
    @ValueSource(strings = {"fast", "camel-csv"})
    void lineOfDelimitersExceedsTheDefaultFieldLimit(String parser) throws Exception {
        ConvertStage stage = stage(parser);
        Path csv = stage.csv(PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n" + ",".repeat(300_000) + "\n");

        assertEquals("line 3: the record has more than 10000 fields (pipeline.convert.maxFieldsPerRecord)",
                stage.fail(csv, BadInputException.class).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "camel-csv"})
    void fieldsPerRecordLimitIsTheProperty(String parser) throws Exception {
        ConvertStage stage = stage(parser).with("pipeline.convert.maxFieldsPerRecord", "5");
        Path csv = stage.csv(PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n2,Mat,Sports,Manduka,y,z\n");

        assertEquals("line 3: the record has more than 5 fields (pipeline.convert.maxFieldsPerRecord)",
                stage.fail(csv, BadInputException.class).getMessage());
    }

    /** Bytes are UTF-8 bytes for both parsers: 600 'é' are 1,200 bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"fast", "camel-csv"})
    void unquotedFieldOverTheByteLimit(String parser) throws Exception {
        ConvertStage stage = stage(parser).with("pipeline.convert.maxFieldBytes", "1KB");
        Path csv = stage.csv(PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n\n2,Mat," + "é".repeat(600) + ",Manduka\n");

        assertEquals("line 4: a field is longer than 1 KB (pipeline.convert.maxFieldBytes)",
                stage.fail(csv, BadInputException.class).getMessage());
    }

    /** A quote left open swallows the rest of the file: the limit stops it where it started. */
    @ParameterizedTest
    @ValueSource(strings = {"fast", "camel-csv"})
    void quotedFieldOverTheByteLimitNamesWhereItStarts(String parser) throws Exception {
        ConvertStage stage = stage(parser).with("pipeline.convert.maxFieldBytes", "1KB");
        Path csv = stage.csv(PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n2,\"Mat,Sports,Manduka\n"
                + "3,Pan,Kitchen,Lodge\n".repeat(200));

        assertEquals("line 3: a quoted field starting there is longer than 1 KB (pipeline.convert.maxFieldBytes); is a"
                + " quote left open?", stage.fail(csv, BadInputException.class).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "camel-csv"})
    void recordOverTheByteLimit(String parser) throws Exception {
        ConvertStage stage = stage(parser).with("pipeline.convert.maxRecordBytes", "1000");
        String part = "x".repeat(400);
        Path csv = stage.csv(PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n2," + part + "," + part + "," + part + "\n");

        assertEquals("line 3: the record is longer than 1000 bytes (pipeline.convert.maxRecordBytes)",
                stage.fail(csv, BadInputException.class).getMessage());
    }

    /**
     * A record exactly at every limit is read whole: a field's bytes as written between its quotes, a record's without
     * its line end.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fast", "camel-csv"})
    void recordAtTheLimitsIsRead(String parser) throws Exception {
        String name = "\"a, \"\"b\"\" longer than the header\"";
        String row = "2," + name + ",Sports,Manduka";
        ConvertStage stage = stage(parser)
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

    private ConvertStage stage(String parser) {
        return new ConvertStage(dir).with("pipeline.convert.parser", parser);
    }
}
