package convert;

import core.ConversionResult;
import java.nio.file.Path;
import java.util.List;

import core.BadInputException;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import static convert.ConvertStage.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static support.ParquetFiles.records;

/** CSV columns are matched to schema fields by header name, whatever their order, spelling or extras. */
@ParameterizedClass(name = "parser={0}")
@ValueSource(strings = {"fast", "camel-csv"})
class HeaderMatchingTest {

    /** {@code pipeline.convert.parser}: both parsers must read and reject alike. */
    @Parameter
    String parser;

    @TempDir
    Path dir;

    /** Columns in another order land in the right fields; an extra column is dropped with one warning naming it. */
    @Test
    void reorderedColumnsAreMatchedAndExtraColumnsWarnedAboutOnce() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv("brand,colour,product_name,product_id,product_category,weight\n"
                + "BenQ,black,Lamp,1,Home,2kg\nManduka,blue,Mat,2,Sports,1kg\n");

        ConversionResult result;
        List<String> warnings;
        try (CapturedWarnings captured = new CapturedWarnings(ParquetWriterProcessor.class)) {
            result = stage.convert(csv);
            warnings = captured.messages();
        }

        GenericRecord first = records(result.parquetFile()).get(0);
        assertEquals(1, first.get("product_id"));
        assertEquals("Lamp", text(first, "product_name"));
        assertEquals("Home", text(first, "product_category"));
        assertEquals("BenQ", text(first, "brand"));
        assertEquals(4, first.getSchema().getFields().size());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("colour, weight"), warnings.get(0));
    }

    /** With pipeline.convert.strict=true an extra column fails the run and is named. */
    @Test
    void strictModeRejectsExtraColumns() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser).with("pipeline.convert.strict", "true");
        Path csv = stage.csv("product_id,product_name,product_category,brand,colour\n1,Lamp,Home,BenQ,black\n");

        String message = stage.fail(csv, BadInputException.class).getMessage();

        assertTrue(message.contains("not in the schema: colour"), message);
        assertTrue(message.contains("pipeline.convert.strict"), message);
    }

    /** Header names that are not Avro names match after trimming, lower-casing and replacing other characters. */
    @Test
    void headerNamesAreMatchedAfterNormalisation() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv("Product ID,product-name, PRODUCT_CATEGORY ,Brand\n1,Lamp,Home,BenQ\n");

        GenericRecord row = records(stage.convert(csv).parquetFile()).get(0);

        assertEquals(1, row.get("product_id"));
        assertEquals("Lamp", text(row, "product_name"));
        assertEquals("Home", text(row, "product_category"));
        assertEquals("BenQ", text(row, "brand"));
    }

    /** A bad value in a renamed column is reported with the header's spelling and the field. */
    @Test
    void badValueInNormalisedColumnNamesBoth() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv("Product ID,product_name,product_category,brand\nx,Lamp,Home,BenQ\n");

        String message = stage.fail(csv, BadInputException.class).getMessage();

        assertEquals("line 2, column 'Product ID' (field product_id), value 'x': not an int", message);
    }

    /** A required field without a column fails, naming the field and the header that was found. */
    @Test
    void missingRequiredColumnIsNamedWithTheHeader() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv("product_id,product_name\n1,Lamp\n");

        String message = stage.fail(csv, BadInputException.class).getMessage();

        assertTrue(message.contains("required field(s) product_category, brand"), message);
        assertTrue(message.contains("[product_id, product_name]"), message);
    }

    /** A semicolon file read with a comma delimiter fails clearly: one column, the delimiter is questioned. */
    @Test
    void wrongDelimiterIsReportedAsMissingColumnsWithAHint() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv("product_id;product_name;product_category;brand\n1;Lamp;Home;BenQ\n");

        String message = stage.fail(csv, BadInputException.class).getMessage();

        assertTrue(message.contains("required field(s) product_id, product_name, product_category, brand"), message);
        assertTrue(message.contains("[product_id;product_name;product_category;brand]"), message);
        assertTrue(message.contains("is pipeline.convert.delimiter ',' right?"), message);
    }

    /** Two columns that both normalise to one field are ambiguous and fail. */
    @Test
    void twoColumnsMatchingOneFieldFail() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv("Product ID,product-id,product_name,product_category,brand\n1,1,Lamp,Home,BenQ\n");

        String message = stage.fail(csv, BadInputException.class).getMessage();

        assertTrue(message.contains("'Product ID' and 'product-id' both match the field product_id"), message);
    }
}
