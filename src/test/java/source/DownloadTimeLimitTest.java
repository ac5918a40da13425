package source;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;

import core.BadInputException;
import core.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.PipelineRun;
import run.RunReporter;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A body that keeps trickling in past {@code pipeline.source.maxDownloadTime} fails its download naming the limit. */
class DownloadTimeLimitTest {

    @TempDir
    Path dir;

    @Test
    void aTricklingBodyIsCutOffAtTheLimit() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            exchange.setProperty(Pipeline.RUN, new PipelineRun("http", "http://127.0.0.1/products.csv?token=x"));
            exchange.getIn().setBody(new Trickle());
            DownloadToFile download = new DownloadToFile(new RunReporter(dir), Long.MAX_VALUE, Duration.ofMillis(200));

            BadInputException e = assertThrows(BadInputException.class, () -> download.process(exchange));
            assertTrue(e.getMessage().contains("took longer than PT0.2S (pipeline.source.maxDownloadTime)"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("http://127.0.0.1/products.csv?***"), e.getMessage());
        }
    }

    /** One byte every 20 ms, for ever: never silent long enough for a read timeout. */
    private static final class Trickle extends InputStream {

        @Override
        public int read() throws java.io.IOException {
            try {
                Thread.sleep(20); // a pause, not a wait: the server trickles its bytes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
            return 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
            buffer[offset] = (byte) read();
            return 1;
        }
    }
}
