package convert;

import config.ConvertConfig;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.apache.commons.csv.CSVFormat;

/** The camel-csv data format the convert stage unmarshals with. */
public final class CsvFormats {

    private CsvFormats() {
    }

    /**
     * A streaming data format: the body becomes an {@code Iterator<CsvRow>} whose first row is the header. Blank lines
     * are skipped and values are kept exactly as written.
     */
    public static CsvDataFormat dataFormat(ConvertConfig c) {
        CsvDataFormat dataFormat = new CsvDataFormat(csvFormat(c));
        dataFormat.setLazyLoad(true);
        dataFormat.setRecordConverter(new CsvRowConverter());
        return dataFormat;
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
