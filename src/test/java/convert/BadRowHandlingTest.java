package convert;

import core.ConversionResult;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import core.BadInputException;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import static convert.ConvertStage.PRODUCTS_HEADER;
import static convert.ConvertStage.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static support.ParquetFiles.records;

/** A row that does not fit the schema fails the run by default, or is set aside in a rejects CSV when skipping. */
@ParameterizedClass(name = "parser={0}")
@ValueSource(strings = {"fast", "camel-csv"})
class BadRowHandlingTest {

    private static final String SIX_ROWS_THEN_BAD_ID = PRODUCTS_HEADER
            + "1,Lamp,Home,BenQ\n2,Mat,Sports,Manduka\n3,Pan,Kitchen,Lodge\n"
            + "4,Drill,Tools,DeWalt\n5,Tea,Grocery,Twinings\n"
            + "abc,\"Jacket, denim\",Apparel,Levi's\n"
            + "7,Bottle,Outdoor,Hydro Flask\n";

    /** {@code pipeline.convert.parser}: both parsers must read and reject alike. */
    @Parameter
    String parser;

    @TempDir
    Path dir;

    /** A non-integer product_id fails with its line, column, value and reason, and leaves no file behind. */
    @Test
    void nonIntegerIdFailsWithLineColumnAndValue() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);

        String message = stage.fail(stage.csv(SIX_ROWS_THEN_BAD_ID), BadInputException.class).getMessage();

        assertEquals("line 7, column product_id, value 'abc': not an int", message);
    }

    /** A very long bad value is cut short in the message. */
    @Test
    void longBadValueIsClippedInTheMessage() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        String value = "9".repeat(5000);

        String message = stage.fail(stage.csv(PRODUCTS_HEADER + value + ",Lamp,Home,BenQ\n"), BadInputException.class)
                .getMessage();

        assertTrue(message.length() < 200, message);
        assertTrue(message.startsWith("line 2, column product_id, value '" + "9".repeat(80) + "... (5000 characters)'"),
                message);
    }

    /** When skipping, the bad row goes to the rejects CSV with its line, reason and original text; the rest loads. */
    @Test
    void skippedRowsGoToTheRejectsFileAndAreCounted() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser).with("pipeline.convert.onBadRow", "skip");

        ConversionResult result = stage.convert(stage.csv(SIX_ROWS_THEN_BAD_ID + "8,Plate,Home\n"));

        assertEquals(8, result.rowsRead());
        assertEquals(6, result.rowsWritten());
        assertEquals(2, result.rowsRejected());
        List<GenericRecord> rows = records(result.parquetFile());
        assertEquals(List.of(1, 2, 3, 4, 5, 7), rows.stream().map(r -> r.get("product_id")).toList());
        String parquetName = result.parquetFile().getFileName().toString();
        assertEquals(parquetName.replace(".parquet", ".rejects.csv"), result.rejectsFile().getFileName().toString());
        assertEquals(result.parquetFile().getParent(), result.rejectsFile().getParent());
        assertEquals("line,reason,original\n"
                + "7,\"column product_id, value 'abc': not an int\",\"abc,\"\"Jacket, denim\"\",Apparel,Levi's\"\n"
                + "9,\"expected 4 fields as in the header, found 3\",\"8,Plate,Home\"\n",
                Files.readString(result.rejectsFile()));
        List<CSVRecord> rejects = CSVFormat.DEFAULT.parse(Files.newBufferedReader(result.rejectsFile())).getRecords();
        CSVRecord original = CSVFormat.DEFAULT.parse(new StringReader(rejects.get(1).get(2))).getRecords()
                .get(0);
        assertEquals("Jacket, denim", original.get(1));
    }

    /** With a different delimiter, the original row in the rejects file is printed with that delimiter. */
    @Test
    void rejectedOriginalKeepsTheInputDelimiter() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser)
                .with("pipeline.convert.onBadRow", "skip")
                .with("pipeline.convert.delimiter", "|");

        ConversionResult result = stage.convert(stage.csv(PRODUCTS_HEADER.replace(',', '|')
                + "1|Lamp|Home|BenQ\nx|Mat|Sports|Man|duka\n"));

        assertTrue(Files.readString(result.rejectsFile()).endsWith(",x|Mat|Sports|Man|duka\n"));
    }

    /** More rejected rows than pipeline.convert.maxRejects fail the run with the first reason, leaving no file. */
    @Test
    void tooManyRejectsFailTheRun() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser)
                .with("pipeline.convert.onBadRow", "skip")
                .with("pipeline.convert.maxRejects", "1");

        String message = stage.fail(stage.csv(PRODUCTS_HEADER + "1,Lamp,Home,BenQ\na,Mat,Sports,Manduka\n"
                + "b,Pan,Kitchen,Lodge\n4,Drill,Tools,DeWalt\n"), BadInputException.class).getMessage();

        assertTrue(message.startsWith("more than 1 rows were rejected (pipeline.convert.maxRejects)"), message);
        assertTrue(message.endsWith("the first: line 3, column product_id, value 'a': not an int"), message);
    }

    /** A row with fewer or more fields than the header is a bad row. */
    @Test
    void rowWithTheWrongNumberOfFieldsIsBad() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);

        String message = stage.fail(stage.csv(PRODUCTS_HEADER + "1,Lamp,Home,BenQ,extra\n"), BadInputException.class)
                .getMessage();

        assertEquals("line 2, expected 4 fields as in the header, found 5", message);
    }

    /** An empty required int is a bad row, while an empty required string is kept as an empty string. */
    @Test
    void emptyRequiredIntIsBadButEmptyRequiredStringIsKept() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);

        String message = stage.fail(stage.csv(PRODUCTS_HEADER + ",Lamp,Home,BenQ\n"), BadInputException.class)
                .getMessage();
        GenericRecord row = records(stage.convert(stage.csv(PRODUCTS_HEADER + "1,,Home,BenQ\n")).parquetFile()).get(0);

        assertEquals("line 2, column product_id, value '': empty, but int field product_id is required", message);
        assertEquals("", text(row, "product_name"));
    }
}
