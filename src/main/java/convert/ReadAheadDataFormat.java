package convert;

import java.io.Closeable;
import java.util.Iterator;

import config.ConvertConfig.Limits;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Runs a streaming CSV data format whose unmarshal is a closeable {@code Iterator<CsvRow>} (camel-csv's lazy load) on
 * a reader thread ahead of the consumer, its records collected into {@link CsvBatches}, so parsing and converting use
 * two cores. The parser reads the {@link CsvBytes#text text} of the CSV through a {@link LimitedCsvReader}, which
 * holds each record to the limits.
 */
final class ReadAheadDataFormat extends UnmarshalOnlyDataFormat implements CamelContextAware {

    private final DataFormat parser;
    private final String name;
    private final char delimiter;
    private final char quote;
    private final Limits limits;
    private CamelContext camelContext;

    ReadAheadDataFormat(DataFormat parser, String name, char delimiter, char quote, Limits limits) {
        this.parser = parser;
        this.name = name;
        this.delimiter = delimiter;
        this.quote = quote;
        this.limits = limits;
    }

    @Override
    public String getDataFormatName() {
        return name;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        CamelContextAware.trySetCamelContext(parser, camelContext);
    }

    @Override
    protected CsvBatches batches(Exchange exchange, CsvBytes csv) throws Exception {
        @SuppressWarnings("unchecked")
        Iterator<CsvRow> rows = (Iterator<CsvRow>) parser.unmarshal(exchange,
                new LimitedCsvReader(csv.text(), delimiter, quote, limits));
        return CsvBatches.of(rows, (Closeable) rows, quote);
    }

    @Override
    protected void doInit() throws Exception {
        ServiceHelper.initService(parser);
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(parser);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(parser);
    }
}
