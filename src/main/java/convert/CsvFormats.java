package convert;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

import config.ConvertConfig;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.apache.camel.spi.DataFormat;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** The CSV data format the convert stage unmarshals with, and the commons-csv format its rejects file is printed in. */
public final class CsvFormats {

    private CsvFormats() {
    }

    /**
     * A streaming data format of {@code pipeline.convert.parser}: the body becomes {@link CsvBatches} whose first
     * record is the header. Blank lines are skipped and values are kept exactly as written, as commons-csv's
     * {@link #csvFormat} reads them; both parsers read the same rows and report the same errors.
     */
    public static DataFormat dataFormat(ConvertConfig c) {
        return switch (c.parser()) {
            case CAMEL_CSV -> camelCsv(c);
            case FAST -> new CsvRowsDataFormat(c.delimiter(), c.quote(), c.limits());
        };
    }

    /**
     * camel-csv in streaming mode (lazy load), each record turned into a {@link CsvRow} that knows its line, parsed
     * ahead on a reader thread; the strictly decoded text reaches it through a {@link LimitedCsvReader}.
     */
    private static DataFormat camelCsv(ConvertConfig c) {
        CsvDataFormat dataFormat = new CsvDataFormat(csvFormat(c));
        dataFormat.setLazyLoad(true);
        dataFormat.setRecordConverter(new CsvRowConverter());
        return new ReadAheadDataFormat(dataFormat, "csv", c.delimiter(), c.quote(), c.limits());
    }

    /**
     * The records of {@code csv} as the convert stage's data format reads them, without an exchange: for schema
     * inference, which reads the first of them, then closes the batches.
     */
    static CsvBatches read(Path csv, ConvertConfig c) throws IOException {
        CsvBytes bytes = CsvBytes.open(csv, c.charset(), c.maxInputBytes());
        try {
            if (c.parser() == ConvertConfig.Parser.FAST) {
                Utf8CsvTokenizer tokenizer = new Utf8CsvTokenizer(bytes.utf8(), c.delimiter(), c.quote(), c.limits());
                return new CsvBatches(tokenizer::fill, tokenizer, c.quote(), false);
            }
            CSVParser parser = csvFormat(c).parse(
                    new LimitedCsvReader(bytes.text(), c.delimiter(), c.quote(), c.limits()));
            CsvRowConverter rows = new CsvRowConverter();
            Iterator<CSVRecord> records = parser.iterator();
            return CsvBatches.of(new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return records.hasNext();
                }

                @Override
                public CsvRow next() {
                    return rows.convertRecord(records.next());
                }
            }, parser, c.quote());
        } catch (IOException | RuntimeException e) {
            bytes.close();
            throw e;
        }
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
