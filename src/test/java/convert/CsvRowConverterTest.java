package convert;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import config.ConvertConfig;
import config.Settings;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each row knows the physical line it starts on, whatever line breaks and blank lines come before it. */
class CsvRowConverterTest {

    private static final ConvertConfig DEFAULTS = ConvertConfig.from(new Settings(key -> Optional.empty()));

    /** Blank lines, quoted LF/CRLF/CR breaks and a last record without a newline all count as lines. */
    @Test
    void startLinesCountEveryPhysicalLine() throws Exception {
        String csv = "\n\na,b\n" // header on line 3
                + "1,\"x\ny\"\r\n" // lines 4-5
                + "2,\"p\rq\"\n" // lines 6-7 (a lone CR inside quotes)
                + "\n\n" // lines 8-9
                + "3,z"; // line 10, no newline at the end

        List<CsvRow> rows = parse(csv, new CsvRowConverter());

        assertEquals(List.of(3L, 4L, 6L, 10L), rows.stream().map(CsvRow::lineNumber).toList());
        assertArrayEquals(new String[] {"2", "p\rq"}, rows.get(2).values());
    }

    /** One converter serves consecutive parses: each starts counting again. */
    @Test
    void oneConverterServesSeveralParses() throws Exception {
        CsvRowConverter converter = new CsvRowConverter();

        parse("a\n1\n2\n3\n", converter);
        List<CsvRow> second = parse("\na\n1\n", converter);

        assertEquals(List.of(2L, 3L), second.stream().map(CsvRow::lineNumber).toList());
    }

    private static List<CsvRow> parse(String csv, CsvRowConverter converter) throws Exception {
        List<CsvRow> rows = new ArrayList<>();
        try (CSVParser parser = CsvFormats.csvFormat(DEFAULTS).parse(new StringReader(csv))) {
            for (CSVRecord record : parser) {
                rows.add(converter.convertRecord(record));
            }
        }
        return rows;
    }
}
