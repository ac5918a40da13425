package convert;

import org.apache.camel.dataformat.csv.CsvRecordConverter;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Turns a commons-csv record into a {@link CsvRow} that knows the physical line it started on.
 * <p>
 * The parser only reports the line a record ended on. A record that ends on the line after the previous one started
 * there too; otherwise (quoted newlines, skipped blank lines) the start is the end minus the line breaks inside the
 * values. Progress is kept per parser, so one converter may serve several parses.
 */
public final class CsvRowConverter implements CsvRecordConverter<CsvRow> {

    private volatile Progress progress;

    @Override
    public CsvRow convertRecord(CSVRecord csvRecord) {
        CSVParser parser = csvRecord.getParser();
        Progress p = progress;
        if (p == null || p.parser != parser) {
            p = new Progress(parser, csvRecord.getRecordNumber() == 1 ? 0 : -1);
            progress = p;
        }
        String[] values = csvRecord.values();
        long endLine = parser.getCurrentLineNumber();
        long startLine = endLine == p.lastEndLine + 1 ? endLine : endLine - lineBreaks(values);
        p.lastEndLine = endLine;
        return new CsvRow(startLine, values);
    }

    /** Counts CRLF, LF and lone CR as one break each, as the parser does. */
    static long lineBreaks(String[] values) {
        long breaks = 0;
        for (String value : values) {
            if (value == null || (value.indexOf('\n') < 0 && value.indexOf('\r') < 0)) {
                continue;
            }
            for (int i = 0, n = value.length(); i < n; i++) {
                char c = value.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 == n || value.charAt(i + 1) != '\n'))) {
                    breaks++;
                }
            }
        }
        return breaks;
    }

    private static final class Progress {
        final CSVParser parser;
        long lastEndLine;

        Progress(CSVParser parser, long lastEndLine) {
            this.parser = parser;
            this.lastEndLine = lastEndLine;
        }
    }
}
