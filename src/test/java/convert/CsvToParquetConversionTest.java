package convert;

import core.ConversionResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import core.BadInputException;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import support.ParquetFiles;

import static convert.ConvertStage.PRODUCTS_HEADER;
import static convert.ConvertStage.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static support.ParquetFiles.records;

/** Well-formed CSV files of every common shape land in Parquet with the values and types of the schema. */
@ParameterizedClass(name = "parser={0}")
@ValueSource(strings = {"fast", "camel-csv"})
class CsvToParquetConversionTest {

    /** {@code pipeline.convert.parser}: both parsers must read and reject alike. */
    @Parameter
    String parser;

    @TempDir
    Path dir;

    /** The walkthrough's 20 products become 20 Parquet rows whose product_id is an INT32. */
    @Test
    void walkthroughSampleBecomesTwentyRowsWithIntProductIds() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = dir.resolve("products.csv");
        Files.copy(getClass().getResourceAsStream("/convert/products.csv"), csv);

        ConversionResult result = stage.convert(csv);

        assertEquals(new ConversionResult(20, 20, 0, result.parquetFile(), null, result.parquetBytes()), result);
        assertEquals(stage.workDir(), result.parquetFile().getParent());
        assertTrue(result.parquetFile().getFileName().toString().matches("convert-.*\\.parquet"));
        assertEquals(PrimitiveTypeName.INT32,
                ParquetFiles.schema(result.parquetFile()).getType("product_id").asPrimitiveType()
                        .getPrimitiveTypeName());
        List<GenericRecord> rows = records(result.parquetFile());
        assertEquals(20, rows.size());
        assertEquals(1, assertInstanceOf(Integer.class, rows.get(0).get("product_id")));
        assertEquals("Wireless Noise-Cancelling Headphones", text(rows.get(0), "product_name"));
        assertEquals("Levi's", text(rows.get(14), "brand"));
        assertEquals(20, rows.get(19).get("product_id"));
        assertEquals("LEGO", text(rows.get(19), "brand"));
    }

    /** Windows line endings are line ends, not part of the last value. */
    @Test
    void crlfLineEndingsAreRead() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv(PRODUCTS_HEADER.replace("\n", "\r\n") + "1,Lamp,Home,BenQ\r\n2,Mat,Sports,Manduka\r\n");

        List<GenericRecord> rows = records(stage.convert(csv).parquetFile());

        assertEquals(List.of("BenQ", "Manduka"), rows.stream().map(r -> text(r, "brand")).toList());
    }

    /** A UTF-8 byte order mark does not become part of the first header name. */
    @Test
    void utf8ByteOrderMarkIsDropped() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv("\uFEFF" + PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n");

        List<GenericRecord> rows = records(stage.convert(csv).parquetFile());

        assertEquals(1, rows.get(0).get("product_id"));
    }

    /** Blank lines at the end (and between records) are not rows. */
    @Test
    void blankLinesAreIgnored() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv(PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n\n2,Mat,Sports,Manduka\n\n\n\r\n");

        ConversionResult result = stage.convert(csv);

        assertEquals(2, result.rowsWritten());
        assertEquals(2, records(result.parquetFile()).size());
    }

    /** Accented and CJK text comes back exactly as it went in. */
    @Test
    void nonAsciiTextRoundTrips() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv(PRODUCTS_HEADER + "1,Crème brûlée torch,Cuisine,Café 日本\n");

        GenericRecord row = records(stage.convert(csv).parquetFile()).get(0);

        assertEquals("Crème brûlée torch", text(row, "product_name"));
        assertEquals("Café 日本", text(row, "brand"));
    }

    /** Quoted commas, doubled quotes and newlines stay inside their field, and values are not trimmed. */
    @Test
    void quotedCommaQuoteAndNewlineStayInsideTheField() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv(PRODUCTS_HEADER
                + "1,\"Lamp, desk\",\"The \"\"best\"\" one\",\"Ben\nQ\"\n"
                + "2, Mat ,Sports,\"Man\r\nduka\"\n");

        List<GenericRecord> rows = records(stage.convert(csv).parquetFile());

        assertEquals("Lamp, desk", text(rows.get(0), "product_name"));
        assertEquals("The \"best\" one", text(rows.get(0), "product_category"));
        assertEquals("Ben\nQ", text(rows.get(0), "brand"));
        assertEquals(" Mat ", text(rows.get(1), "product_name"));
        assertEquals("Man\r\nduka", text(rows.get(1), "brand"));
    }

    /** After records spanning several lines and skipped blank lines, a bad record is still reported at its line. */
    @Test
    void lineNumbersCountPhysicalLinesAfterQuotedNewlines() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv(PRODUCTS_HEADER // line 1
                + "1,\"Lamp\nwith\nshade\",Home,BenQ\n" // lines 2-4
                + "\n" // line 5
                + "2,Mat,Sports,\"Man\r\nduka\"\r\n" // lines 6-7
                + "x,Pan,Kitchen,Lodge\n"); // line 8

        String message = stage.fail(csv, BadInputException.class).getMessage();

        assertEquals("line 8, column product_id, value 'x': not an int", message);
    }

    /** A 1 MB field is written whole. */
    @Test
    void oneMegabyteFieldIsWritten() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        String big = "é".repeat(512 * 1024) + "x".repeat(512 * 1024);
        Path csv = stage.csv(PRODUCTS_HEADER + "1,\"" + big + "\",Home,BenQ\n2,Mat,Sports,Manduka\n");

        List<GenericRecord> rows = records(stage.convert(csv).parquetFile());

        assertEquals(big, text(rows.get(0), "product_name"));
        assertEquals("Manduka", text(rows.get(1), "brand"));
    }

    /** With pipeline.convert.charset=ISO-8859-1, Latin-1 bytes are decoded as such. */
    @Test
    void configuredCharsetIsUsed() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser).with("pipeline.convert.charset", "ISO-8859-1");
        Path csv = stage.bytes((PRODUCTS_HEADER + "1,Crème,Cuisine,Café\n").getBytes(StandardCharsets.ISO_8859_1));

        GenericRecord row = records(stage.convert(csv).parquetFile()).get(0);

        assertEquals("Crème", text(row, "product_name"));
    }

    /** Another delimiter and the compression setting are honoured. */
    @Test
    void configuredDelimiterAndCompressionAreUsed() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser)
                .with("pipeline.convert.delimiter", "semicolon")
                .with("pipeline.convert.compression", "zstd");
        Path csv = stage.csv(PRODUCTS_HEADER.replace(',', ';') + "1;Lamp, desk;Home;BenQ\n");

        ConversionResult result = stage.convert(csv);

        assertEquals("Lamp, desk", text(records(result.parquetFile()).get(0), "product_name"));
        assertEquals("ZSTD",
                ParquetFiles.footer(result.parquetFile()).getBlocks().get(0).getColumns().get(0).getCodec().name());
        assertNull(result.rejectsFile());
    }
}
