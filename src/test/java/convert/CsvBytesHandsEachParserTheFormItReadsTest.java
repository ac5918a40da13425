package convert;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import core.BadInputException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The convert stage's body, {@link CsvBytes}, hands the fast parser a UTF-8 file's own bytes (it checks them itself),
 * and commons-csv and every other charset strictly decoded text without the byte order mark.
 */
class CsvBytesHandsEachParserTheFormItReadsTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path dir;

    /** UTF-8 bytes go to the tokenizer as they are in the file: not decoded, so not checked, not re-encoded. */
    @Test
    void utf8OfAUtf8FileIsTheFilesOwnBytes() throws Exception {
        byte[] content = concat(BOM, "a,b\n1,Crème\n".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF});
        Path file = write(content);

        try (CsvBytes csv = CsvBytes.open(file, StandardCharsets.UTF_8); InputStream utf8 = csv.utf8()) {
            assertArrayEquals(content, utf8.readAllBytes());
        }
    }

    /** Another charset is decoded, its byte order mark dropped, and the text encoded as UTF-8. */
    @Test
    void utf8OfAnotherCharsetIsItsTextEncodedAsUtf8() throws Exception {
        Charset utf16 = StandardCharsets.UTF_16LE;
        Path file = write("\uFEFFa,b\n1,Crème\n".getBytes(utf16));

        try (CsvBytes csv = CsvBytes.open(file, utf16); InputStream utf8 = csv.utf8()) {
            assertEquals("a,b\n1,Crème\n", new String(utf8.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The text commons-csv reads has no byte order mark. */
    @Test
    void textDropsTheByteOrderMark() throws Exception {
        Path file = write(concat(BOM, "a,b\n1,Crème\n".getBytes(StandardCharsets.UTF_8)));

        try (CsvBytes csv = CsvBytes.open(file, StandardCharsets.UTF_8); Reader text = csv.text()) {
            assertEquals("a,b\n1,Crème\n", readAll(text));
        }
    }

    /** A byte the charset cannot decode fails naming the charset and the line. */
    @Test
    void undecodableTextNamesTheCharsetAndTheLine() throws Exception {
        Path file = write(concat("a,b\n1,caf".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xE9, '\n'}));

        try (CsvBytes csv = CsvBytes.open(file, StandardCharsets.US_ASCII); Reader text = csv.text()) {
            BadInputException e = assertThrows(BadInputException.class, () -> readAll(text));
            assertEquals("the input is not valid US-ASCII: malformed input of 1 byte(s) on line 2", e.getMessage());
        }
    }

    /** An I/O error of the file is a ReadFailure naming it, whichever form it is read in. */
    @Test
    void aFileThatCannotBeReadIsAReadFailureNamingIt() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("not-a-file.csv"));

        try (CsvBytes csv = CsvBytes.open(folder, StandardCharsets.UTF_8)) {
            CsvBytes.ReadFailure e = assertThrows(CsvBytes.ReadFailure.class, () -> csv.read(ByteBuffer.allocate(8)));
            assertEquals("cannot read " + folder + ": Is a directory", e.getMessage());
        }
        try (CsvBytes csv = CsvBytes.open(folder, StandardCharsets.ISO_8859_1); Reader text = csv.text()) {
            assertThrows(CsvBytes.ReadFailure.class, () -> readAll(text));
        }
    }

    /** The data format reads the body openCsvInput sets and says so when handed anything else, on either parser. */
    @ParameterizedTest
    @ValueSource(strings = {"fast", "camel-csv"})
    void theDataFormatRefusesAnotherBody(String parser) throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvFormats
                    .dataFormat(stage.config()).unmarshal(new DefaultExchange(context), (Object) "a,b\n1,2\n"));
            assertEquals("the convert stage's CSV data format reads the CsvBytes body that openCsvInput sets, not "
                    + "java.lang.String", e.getMessage());
        }
    }

    private Path write(byte[] content) throws IOException {
        return Files.write(dir.resolve("input-" + System.nanoTime() + ".csv"), content);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String readAll(Reader reader) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[16];
        for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
            text.append(buffer, 0, n);
        }
        return text.toString();
    }
}
