package convert;

import java.nio.charset.Charset;

import core.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import run.PipelineRun;

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
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        exchange.getIn().setBody(CsvInput.open(run.getInputFile(), charset));
    }
}
