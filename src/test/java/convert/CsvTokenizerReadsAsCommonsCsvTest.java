package convert;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import config.ConvertConfig;
import config.Settings;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written tokenizer reads every input as commons-csv does with the convert stage's format: the same values
 * and the same start lines, also when the input arrives a few characters at a time.
 */
class CsvTokenizerReadsAsCommonsCsvTest {

    private static final ConvertConfig DEFAULTS = ConvertConfig.from(new Settings(key -> Optional.empty()));

    @Test
    void awkwardInputsReadAlike() throws Exception {
        List<String> inputs = List.of(
                "",
                "\n\r\n\r\n",
                "a,b\n1,2",
                "a,b\r\n1,2\r\n",
                "a,b\r1,2\r",
                "a,b,\n,,\n1,2,",
                "a\n\"\"\n\"x\"\"y\"\n",
                "a,b\n1,\"quoted, with a delimiter\"\n2,\"line\nbreak\"\n3,\"crlf\r\nbreak\"\n4,\"cr\rbreak\"\n",
                "a,b\n1,mid\"quote\n2, \"spaced\"\n",
                "\n\na,b\n1,\"x\ny\"\r\n2,\"p\rq\"\n\n\n3,z",
                "\"a\",\"b\"\n\"\",\"\"\n");
        for (String csv : inputs) {
            assertEquals(commonsCsv(csv, ','), tokenizer(new StringReader(csv), ','), () -> "input " + csv);
            assertEquals(commonsCsv(csv, ','), tokenizer(new TrickleReader(csv, 42), ','), () -> "input " + csv);
        }
    }

    @Test
    void randomInputsReadAlike() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "ab;,\"\n\r x";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder csv = new StringBuilder();
            for (int n = random.nextInt(60); n > 0; n--) {
                csv.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = csv.toString();
            long seed = i;
            char delimiter = i % 2 == 0 ? ',' : ';';
            List<String> expected;
            try {
                expected = commonsCsv(text, delimiter);
            } catch (IOException | RuntimeException e) {
                assertThrows(IOException.class, () -> tokenizer(new TrickleReader(text, seed), delimiter),
                        () -> "input " + text.replace("\r", "\\r").replace("\n", "\\n"));
                continue;
            }
            List<String> actual;
            try {
                actual = tokenizer(new TrickleReader(text, seed), delimiter);
            } catch (IOException e) {
                throw new AssertionError("input " + text.replace("\r", "\\r").replace("\n", "\\n")
                        + " read by commons-csv as " + expected + ", but " + e.getMessage(), e);
            }
            assertEquals(expected, actual,
                    () -> "input " + text.replace("\r", "\\r").replace("\n", "\\n"));
        }
    }

    @Test
    void fieldLongerThanTheBufferIsKept() throws Exception {
        String big = "x".repeat(300_000);
        String csv = "a,b\n1,\"" + big + "\"\"" + big + "\"\n2," + big + "\n";
        assertEquals(commonsCsv(csv, ','), tokenizer(new StringReader(csv), ','));
    }

    @Test
    void unterminatedQuoteNamesItsStartLine() {
        IOException e = assertThrows(IOException.class,
                () -> tokenizer(new StringReader("a,b\n1,2\n2,\"open\n\n"), ','));
        assertTrue(e.getMessage().contains("(startline 3) EOF reached before encapsulated token finished"),
                e.getMessage());
    }

    private static List<String> tokenizer(Reader in, char delimiter) throws IOException {
        List<String> rows = new ArrayList<>();
        try (CsvTokenizer tokenizer = new CsvTokenizer(in, delimiter, '"')) {
            for (CsvRow row = tokenizer.next(); row != null; row = tokenizer.next()) {
                rows.add(row.lineNumber() + ": " + List.of(row.values()));
            }
        }
        return rows;
    }

    private static List<String> commonsCsv(String csv, char delimiter) throws IOException {
        CSVFormat format = CsvFormats.csvFormat(DEFAULTS).builder().setDelimiter(delimiter).get();
        CsvRowConverter converter = new CsvRowConverter();
        List<String> rows = new ArrayList<>();
        try (CSVParser parser = format.parse(new StringReader(csv))) {
            for (CSVRecord record : parser) {
                CsvRow row = converter.convertRecord(record);
                rows.add(row.lineNumber() + ": " + List.of(row.values()));
            }
        }
        return rows;
    }

    /** Hands out one to three characters per read, so that every record crosses buffer refills. */
    private static final class TrickleReader extends Reader {

        private final String text;
        private final SplittableRandom random;
        private int pos;

        TrickleReader(String text, long seed) {
            this.text = text;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (pos == text.length()) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + random.nextInt(3)), text.length() - pos);
            text.getChars(pos, pos + n, buffer, offset);
            pos += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}
