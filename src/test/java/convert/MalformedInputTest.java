package convert;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import static convert.ConvertStage.PRODUCTS_HEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Input that is not a usable CSV at all fails with a message saying what and where. */
@ParameterizedClass(name = "parser={0}")
@ValueSource(strings = {"fast", "camel-csv"})
class MalformedInputTest {

    /** {@code pipeline.convert.parser}: both parsers must read and reject alike. */
    @Parameter
    String parser;

    @TempDir
    Path dir;

    /** An empty file has no header: bad input. */
    @Test
    void emptyFileHasNoHeader() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);

        String message = stage.fail(stage.csv(""), BadInputException.class).getMessage();

        assertEquals("the input is empty: no header row", message);
    }

    /** A file of blank lines is empty too. */
    @Test
    void fileOfBlankLinesIsEmpty() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);

        String message = stage.fail(stage.csv("\n\r\n\n"), BadInputException.class).getMessage();

        assertEquals("the input is empty: no header row", message);
    }

    /** A header without data rows means there is nothing to load, which is not an error of the input. */
    @Test
    void headerOnlyIsNothingToLoad() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);

        String message = stage.skipped(stage.csv(PRODUCTS_HEADER + "\n"));

        assertEquals("the input has a header but no data rows", message);
    }

    /** A quoted field that never ends fails naming the line where the field started. */
    @Test
    void unterminatedQuoteNamesTheLine() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        Path csv = stage.csv(PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n2,\"Mat,Sports,Manduka\n3,Pan,Kitchen,Lodge\n");

        String message = stage.fail(csv, BadInputException.class).getMessage();

        assertEquals("unterminated quoted field starting on line 3", message);
    }

    /** Bytes that are not UTF-8 fail the run with the charset and the line they are on. */
    @Test
    void invalidUtf8NamesTheLine() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes((PRODUCTS_HEADER + "1,Lamp,Home,BenQ\n2,Mat,Sports,").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {'M', (byte) 0xC3, (byte) 0x28, 'n', '\n'});
        bytes.writeBytes("3,Pan,Kitchen,Lodge\n".getBytes(StandardCharsets.UTF_8));

        String message = stage.fail(stage.bytes(bytes.toByteArray()), BadInputException.class).getMessage();

        assertTrue(message.startsWith("the input is not valid UTF-8"), message);
        assertTrue(message.endsWith("on line 3"), message);
    }

    /** An invalid byte far into a large file is still placed on the right line. */
    @Test
    void invalidUtf8AfterManyBuffersNamesTheLine() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        StringBuilder csv = new StringBuilder(PRODUCTS_HEADER);
        for (int i = 1; i <= 20_000; i++) {
            csv.append(i).append(",Lamp ").append(i).append(",Home,BenQ\n");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(csv.toString().getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {'9', ',', (byte) 0xFF, ',', 'H', ',', 'B', '\n'});

        String message = stage.fail(stage.bytes(bytes.toByteArray()), BadInputException.class).getMessage();

        assertTrue(message.endsWith("on line 20002"), message);
    }
}
