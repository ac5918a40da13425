package convert;

import java.io.Closeable;
import java.util.Iterator;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Runs a streaming CSV data format whose unmarshal is a closeable {@code Iterator<CsvRow>} (camel-csv's lazy load) on
 * a reader thread ahead of the consumer, its records collected into {@link CsvBatches}, so parsing and converting use
 * two cores.
 */
final class ReadAheadDataFormat extends UnmarshalOnlyDataFormat implements CamelContextAware {

    private final DataFormat parser;
    private final String name;
    private final char quote;
    private CamelContext camelContext;

    ReadAheadDataFormat(DataFormat parser, String name, char quote) {
        this.parser = parser;
        this.name = name;
        this.quote = quote;
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
    public Object unmarshal(Exchange exchange, Object body) throws Exception {
        @SuppressWarnings("unchecked")
        Iterator<CsvRow> rows = (Iterator<CsvRow>) parser.unmarshal(exchange, body);
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
