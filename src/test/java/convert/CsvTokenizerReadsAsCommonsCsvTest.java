package convert;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import core.BadInputException;
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
 * The byte tokenizer reads every input as commons-csv does with the convert stage's format: the same values and the
 * same start lines, also when the input arrives a few bytes at a time and records cross the ends of small buffers.
 * The limits' reader in front of commons-csv (parser camel-csv) changes nothing it reads, and sees the same
 * unterminated quotes on the same lines.
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
            assertEquals(commonsCsv(csv, ','), tokenizer(csv, ',', 0, 64 * 1024), () -> "input " + csv);
            for (int buffer = 1; buffer < 12; buffer++) {
                int size = buffer;
                assertEquals(commonsCsv(csv, ','), tokenizer(csv, ',', 42, size),
                        () -> "input " + csv + " through a buffer of " + size);
            }
        }
    }

    @Test
    void randomInputsReadAlike() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "ab;,\"\n\r xé€\uD83D\uDE00";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder csv = new StringBuilder();
            for (int n = random.nextInt(120); n > 0; n--) {
                int c = random.nextInt(alphabet.length() - 1);
                // the emoji is a surrogate pair: both halves or neither
                csv.append(Character.isHighSurrogate(alphabet.charAt(c)) ? alphabet.substring(c, c + 2)
                        : String.valueOf(alphabet.charAt(c)));
            }
            String text = csv.toString();
            long seed = i;
            // small buffers cut records and characters; a large one lets the tokenizer scan eight bytes at a time
            int buffer = random.nextBoolean() ? 1 + random.nextInt(16) : 64 * 1024;
            char delimiter = i % 2 == 0 ? ',' : ';';
            List<String> expected;
            try {
                expected = commonsCsv(text, delimiter);
            } catch (IOException | RuntimeException e) {
                Exception fast = assertThrows(Exception.class, () -> tokenizer(text, delimiter, seed, buffer),
                        () -> "input " + text.replace("\r", "\\r").replace("\n", "\\n"));
                Matcher eof = Pattern.compile("\\(startline (\\d+)\\) EOF reached before encapsulated token finished")
                        .matcher(String.valueOf(e.getMessage()));
                if (eof.find()) {
                    String unterminated = "unterminated quoted field starting on line " + eof.group(1);
                    assertEquals(unterminated, fast.getMessage());
                    assertEquals(unterminated, assertThrows(BadInputException.class,
                            () -> limitedCommonsCsv(text, delimiter)).getMessage());
                }
                continue;
            }
            assertEquals(expected, limitedCommonsCsv(text, delimiter),
                    () -> "input " + text.replace("\r", "\\r").replace("\n", "\\n"));
            List<String> actual;
            try {
                actual = tokenizer(text, delimiter, seed, buffer);
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
        assertEquals(commonsCsv(csv, ','), tokenizer(csv, ',', 0, 64 * 1024));
    }

    @Test
    void unterminatedQuoteNamesItsStartLine() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> tokenizer("a,b\n1,2\n2,\"open\n\n", ',', 0, 64 * 1024));
        assertEquals("unterminated quoted field starting on line 3", e.getMessage());
    }

    @Test
    void malformedUtf8NamesItsLineWhereverTheBufferEnds() throws Exception {
        byte[] bad = "a,b\n1,\"x\ny\"\n2,caf\u00e9 \u20ac\n3,z\u00ff\n".getBytes(StandardCharsets.UTF_8);
        int at = bad.length - 3;
        bad[at] = (byte) 0xC3;
        bad[at + 1] = (byte) 0x28;
        for (int buffer = 1; buffer < 24; buffer++) {
            int size = buffer;
            BadInputException e = assertThrows(BadInputException.class,
                    () -> tokenizer(new String(bad, StandardCharsets.ISO_8859_1), bad, ',', size, size));
            assertEquals("the input is not valid UTF-8: malformed input of 1 byte(s) on line 5", e.getMessage());
        }
    }

    @Test
    void byteOrderMarkIsDropped() throws Exception {
        String csv = "\uFEFFa,b\n1,2\n";
        assertEquals(List.of("1: [a, b]", "2: [1, 2]"), tokenizer(csv, ',', 3, 2));
    }

    @Test
    void eachBatchCountsTheInputBytesItsRecordsTook() throws IOException {
        String csv = "id,name\n1,\"a, b\"\n2,ü\n3,c\n";
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        long counted = 0;
        try (Utf8CsvTokenizer tokenizer = new Utf8CsvTokenizer(new TrickleStream(bytes, 7), ',', '"',
                DEFAULTS.limits())) {
            CsvBatch batch = new CsvBatch((byte) '"', 16);
            while (tokenizer.fill(batch)) {
                counted += batch.bytesUsed();
            }
        }
        // the progress log's "MB parsed": every byte of the file, counted once
        assertEquals(bytes.length, counted);
    }

    private static List<String> tokenizer(String csv, char delimiter, long seed, int bufferBytes) throws IOException {
        return tokenizer(csv, csv.getBytes(StandardCharsets.UTF_8), delimiter, seed, bufferBytes);
    }

    private static List<String> tokenizer(String csv, byte[] bytes, char delimiter, long seed, int bufferBytes)
            throws IOException {
        List<String> rows = new ArrayList<>();
        try (Utf8CsvTokenizer tokenizer = new Utf8CsvTokenizer(new TrickleStream(bytes, seed), delimiter, '"',
                DEFAULTS.limits())) {
            CsvBatch batch = new CsvBatch((byte) '"', bufferBytes);
            while (tokenizer.fill(batch)) {
                for (int r = 0; r < batch.records(); r++) {
                    rows.add(batch.line(r) + ": " + List.of(batch.values(r)));
                }
            }
        }
        return rows;
    }

    private static List<String> commonsCsv(String csv, char delimiter) throws IOException {
        return commonsCsv(new StringReader(csv), delimiter);
    }

    private static List<String> limitedCommonsCsv(String csv, char delimiter) throws IOException {
        return commonsCsv(new LimitedCsvReader(new StringReader(csv), delimiter, '"', DEFAULTS.limits()), delimiter);
    }

    private static List<String> commonsCsv(Reader csv, char delimiter) throws IOException {
        CSVFormat format = CsvFormats.csvFormat(DEFAULTS).builder().setDelimiter(delimiter).get();
        CsvRowConverter converter = new CsvRowConverter();
        List<String> rows = new ArrayList<>();
        try (CSVParser parser = format.parse(csv)) {
            for (CSVRecord record : parser) {
                CsvRow row = converter.convertRecord(record);
                rows.add(row.lineNumber() + ": " + List.of(row.values()));
            }
        }
        return rows;
    }

    /** Hands out one to three bytes per read, so that records and characters cross reads. */
    private static final class TrickleStream extends InputStream {

        private final byte[] bytes;
        private final SplittableRandom random;
        private int pos;

        TrickleStream(byte[] bytes, long seed) {
            this.bytes = bytes;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read() {
            return pos == bytes.length ? -1 : bytes[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (pos == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + random.nextInt(3)), bytes.length - pos);
            System.arraycopy(bytes, pos, buffer, offset, n);
            pos += n;
            return n;
        }
    }
}
