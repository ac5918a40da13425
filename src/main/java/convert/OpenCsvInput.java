package convert;

import java.nio.charset.Charset;
import java.nio.file.Path;

import core.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Sets the run's CSV file, opened to be read from its start, as the body: {@link CsvBytes}, the file's bytes with its
 * charset, which each CSV data format reads in the form its parser needs.
 */
public final class OpenCsvInput implements Processor {

    private final Charset charset;

    public OpenCsvInput(Charset charset) {
        this.charset = charset;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        // the run's input, not the body: a redelivery finds the body already read
        exchange.getIn().setBody(CsvBytes.open(exchange.getProperty(Pipeline.INPUT_FILE, Path.class), charset));
    }
}
