package convert;

import java.nio.charset.Charset;
import java.nio.file.Path;

import core.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Sets the run's CSV as a strict, BOM-less Reader: camel-csv parses a Reader body as it is; the fast data format takes
 * the file's own bytes from it when they are UTF-8 ({@link CsvInput#utf8}).
 */
public final class OpenCsvInput implements Processor {

    private final Charset charset;

    public OpenCsvInput(Charset charset) {
        this.charset = charset;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        // the run's input, not the body: a redelivery finds the body already read
        exchange.getIn().setBody(CsvInput.open(exchange.getProperty(Pipeline.INPUT_FILE, Path.class), charset));
    }
}
