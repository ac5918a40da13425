package convert;

import config.ConvertConfig.Limits;
import org.apache.camel.Exchange;

/**
 * The convert stage's own CSV data format: unmarshals a {@link CsvBytes} body into {@link CsvBatches} whose first
 * record is the header, split by {@link Utf8CsvTokenizer} straight from the file's UTF-8 bytes (any other charset is
 * decoded and encoded as UTF-8 first).
 */
public final class CsvRowsDataFormat extends UnmarshalOnlyDataFormat {

    private final char delimiter;
    private final char quote;
    private final Limits limits;

    public CsvRowsDataFormat(char delimiter, char quote, Limits limits) {
        this.delimiter = delimiter;
        this.quote = quote;
        this.limits = limits;
    }

    @Override
    public String getDataFormatName() {
        return "csv-rows";
    }

    @Override
    protected CsvBatches batches(Exchange exchange, CsvBytes csv) {
        Utf8CsvTokenizer tokenizer = new Utf8CsvTokenizer(csv.utf8(), delimiter, quote, limits);
        // splitting bytes is quick: on two cores, the second is better spent encoding Parquet columns
        boolean readAhead = Runtime.getRuntime().availableProcessors() > 2;
        return new CsvBatches(tokenizer::fill, tokenizer, quote, readAhead);
    }
}
