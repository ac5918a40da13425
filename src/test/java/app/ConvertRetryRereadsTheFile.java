package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real read failure in the convert stage is redelivered by the error channel, and the retry opens the input again
 * and reads it from its start: the run SUCCEEDS with all 20 rows. The one-shot's input is the sample CSV; just before
 * the convert stage first opens it, it is swapped for a directory (the first read fails: "Is a directory"), and just
 * before the redelivery swapped back. One subclass per parser.
 */
abstract class ConvertRetryRereadsTheFile extends PipelineTestSupport {

    private final List<String> redeliveredAfter = new CopyOnWriteArrayList<>();
    private final AtomicBoolean firstAttempt = new AtomicBoolean(true);
    private Path input;

    /** {@code pipeline.convert.parser} of this run. */
    protected abstract String parser();

    @Override
    protected Properties testProperties() {
        try {
            input = Files.copy(samplePath(), dataDir.resolve("products.csv"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Properties p = new Properties();
        p.setProperty("pipeline.once", input.toString());
        p.setProperty("pipeline.convert.parser", parser());
        p.setProperty("pipeline.errors.maximumRedeliveries", "2");
        return p;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext camelContext = super.createCamelContext();
        camelContext.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.ExchangeSendingEvent sending
                        && sending.getEndpoint().getEndpointUri().equals("direct://products-convert-csv")
                        && firstAttempt.getAndSet(false)) {
                    // the file becomes unreadable: reading a directory fails with an IOException
                    Files.delete(input);
                    Files.createDirectory(input);
                }
                if (event instanceof CamelEvent.ExchangeRedeliveryEvent redelivery) {
                    Exchange exchange = redelivery.getExchange();
                    Throwable failure = exchange.getException() != null ? exchange.getException()
                            : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                    redeliveredAfter.add(String.valueOf(failure));
                    // the file becomes readable: a retry that opens it again reads all of it
                    Files.delete(input);
                    Files.copy(samplePath(), input);
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.ExchangeRedeliveryEvent
                        || event instanceof CamelEvent.ExchangeSendingEvent;
            }
        });
        return camelContext;
    }

    @Test
    void readFailureIsRetriedOnTheReopenedFile() throws Exception {
        JsonNode report = awaitReport();

        assertEquals(1, redeliveredAfter.size(), redeliveredAfter.toString());
        assertTrue(redeliveredAfter.get(0).contains("cannot read " + input + ": Is a directory"),
                redeliveredAfter.toString());
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        assertEquals(20, report.get("rowsRead").asLong(), report.toString());
        assertEquals(20, report.get("rowsWritten").asLong(), report.toString());
        assertEquals(sampleRows(), asRows(readParquet(report.get("parquetUri").asText())));
        awaitExitCode(0);
    }
}
