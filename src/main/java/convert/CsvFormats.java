package convert;

import config.ConvertConfig;
import org.apache.commons.csv.CSVFormat;

/** The CSV data format the convert stage unmarshals with, and the commons-csv format its rejects file is printed in. */
public final class CsvFormats {

    private CsvFormats() {
    }

    /**
     * A streaming data format: the body becomes an {@code Iterator<CsvRow>} whose first row is the header. Blank lines
     * are skipped and values are kept exactly as written, as commons-csv's {@link #csvFormat} reads them.
     */
    public static CsvRowsDataFormat dataFormat(ConvertConfig c) {
        return new CsvRowsDataFormat(c.delimiter(), c.quote());
    }

    static CSVFormat csvFormat(ConvertConfig c) {
        return CSVFormat.DEFAULT.builder()
                .setDelimiter(c.delimiter())
                .setQuote(c.quote())
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(false)
                .setTrim(false)
                .setSkipHeaderRecord(false)
                .get();
    }
}
