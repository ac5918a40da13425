package convert;

import java.io.InputStream;
import java.io.OutputStream;

import org.apache.camel.Exchange;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.support.service.ServiceSupport;

/** A convert-stage data format: it unmarshals a CSV body into {@link CsvBatches} and never marshals. */
abstract class UnmarshalOnlyDataFormat extends ServiceSupport implements DataFormat, DataFormatName {

    /** The batches of the CSV body, to be read (and closed) by the convert stage's writer. */
    protected abstract CsvBatches batches(Exchange exchange, Object body) throws Exception;

    @Override
    public final Object unmarshal(Exchange exchange, Object body) throws Exception {
        try {
            return batches(exchange, body);
        } catch (Error e) {
            throw new ConvertStageError("the CSV could not be opened for parsing", e);
        }
    }

    @Override
    public final Object unmarshal(Exchange exchange, InputStream stream) throws Exception {
        return unmarshal(exchange, (Object) stream);
    }

    @Override
    public void marshal(Exchange exchange, Object graph, OutputStream stream) {
        throw new UnsupportedOperationException("the convert stage only unmarshals CSV");
    }
}
