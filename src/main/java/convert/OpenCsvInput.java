package convert;

import java.nio.charset.Charset;
import java.nio.file.Path;

import core.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Sets the run's CSV file, opened to be read from its start, as the body: {@link CsvBytes}, the file's bytes
 * (decompressed, for a compressed file) with its charset, which each CSV data format reads in the form its parser
 * needs.
 */
public final class OpenCsvInput implements Processor {

    private final Charset charset;
    private final long maxInputBytes;

    /** {@code maxInputBytes}: {@code pipeline.convert.maxInputBytes}, the most bytes of CSV, decompressed. */
    public OpenCsvInput(Charset charset, long maxInputBytes) {
        this.charset = charset;
        this.maxInputBytes = maxInputBytes;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        // the run's input, not the body: a redelivery finds the body already read
        exchange.getIn().setBody(CsvBytes.open(exchange.getProperty(Pipeline.INPUT_FILE, Path.class), charset,
                maxInputBytes));
    }
}
