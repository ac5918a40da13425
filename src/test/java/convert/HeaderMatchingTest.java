package convert;

import core.ConversionResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import core.BadInputException;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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

    /** A header the schema's fields cannot be matched to, the settings it is read with, and what its failure says. */
    record Unmatched(String what, Map<String, String> settings, String csv, List<String> saying) {

        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Unmatched> unmatchedHeaders() {
        return Stream.of(
                // with pipeline.convert.strict=true an extra column fails the run and is named
                new Unmatched("an extra column in strict mode", Map.of("pipeline.convert.strict", "true"),
                        "product_id,product_name,product_category,brand,colour\n1,Lamp,Home,BenQ,black\n",
                        List.of("not in the schema: colour", "pipeline.convert.strict")),
                // the field, and the header that was found
                new Unmatched("a required field without a column", Map.of(), "product_id,product_name\n1,Lamp\n",
                        List.of("required field(s) product_category, brand", "[product_id, product_name]")),
                // one column: the delimiter is questioned
                new Unmatched("a semicolon file read with a comma delimiter", Map.of(),
                        "product_id;product_name;product_category;brand\n1;Lamp;Home;BenQ\n",
                        List.of("required field(s) product_id, product_name, product_category, brand",
                                "[product_id;product_name;product_category;brand]",
                                "is pipeline.convert.delimiter ',' right?")),
                // ambiguous
                new Unmatched("two columns that both normalise to one field", Map.of(),
                        "Product ID,product-id,product_name,product_category,brand\n1,1,Lamp,Home,BenQ\n",
                        List.of("'Product ID' and 'product-id' both match the field product_id")));
    }

    /** A header that cannot be matched fails the run, the message saying why. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unmatchedHeaders")
    void anUnmatchedHeaderFailsSayingWhy(Unmatched unmatched) throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        unmatched.settings().forEach(stage::with);
        Path csv = stage.csv(unmatched.csv());

        String message = stage.fail(csv, BadInputException.class).getMessage();

        for (String part : unmatched.saying()) {
            assertTrue(message.contains(part), message);
        }
    }
}
