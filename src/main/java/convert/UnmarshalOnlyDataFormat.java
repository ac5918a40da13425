package convert;

import java.io.InputStream;
import java.io.OutputStream;

import org.apache.camel.Exchange;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.IOHelper;

/**
 * A convert-stage data format: it unmarshals the {@link CsvBytes} body that {@link OpenCsvInput} sets into
 * {@link CsvBatches} and never marshals.
 */
abstract class UnmarshalOnlyDataFormat extends ServiceSupport implements DataFormat, DataFormatName {

    /** The batches of the CSV, to be read (and closed) by the convert stage's writer. */
    protected abstract CsvBatches batches(Exchange exchange, CsvBytes csv) throws Exception;

    @Override
    public final Object unmarshal(Exchange exchange, Object body) throws Exception {
        if (!(body instanceof CsvBytes csv)) {
            throw new IllegalArgumentException("the convert stage's CSV data format reads the CsvBytes body that "
                    + "openCsvInput sets, not " + (body == null ? "an empty body" : body.getClass().getName()));
        }
        try {
            return batches(exchange, csv).readFrom(csv);
        } catch (Exception e) {
            IOHelper.close(csv);
            throw e;
        } catch (Error e) {
            IOHelper.close(csv);
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
