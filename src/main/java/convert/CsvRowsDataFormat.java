package convert;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;

import org.apache.camel.Exchange;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The convert stage's CSV data format: unmarshals a {@link Reader} body into a closeable {@code Iterator<CsvRow>}
 * whose first row is the header, tokenized ahead of the consumer on a reader thread ({@link ReadAheadRows}).
 */
public final class CsvRowsDataFormat extends ServiceSupport implements DataFormat, DataFormatName {

    private final char delimiter;
    private final char quote;

    public CsvRowsDataFormat(char delimiter, char quote) {
        this.delimiter = delimiter;
        this.quote = quote;
    }

    @Override
    public String getDataFormatName() {
        return "csv-rows";
    }

    @Override
    public Object unmarshal(Exchange exchange, Object body) throws Exception {
        Reader reader = body instanceof Reader r
                ? r
                : exchange.getContext().getTypeConverter().mandatoryConvertTo(Reader.class, exchange, body);
        CsvTokenizer tokenizer = new CsvTokenizer(reader, delimiter, quote);
        return new ReadAheadRows(tokenizer::next, tokenizer);
    }

    @Override
    public Object unmarshal(Exchange exchange, InputStream stream) throws Exception {
        return unmarshal(exchange, (Object) stream);
    }

    @Override
    public void marshal(Exchange exchange, Object graph, OutputStream stream) {
        throw new UnsupportedOperationException("the convert stage only unmarshals CSV");
    }
}
