package app;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A body that ends before its {@code Content-Length} is a transient failure: each redelivery makes a new request and
 * reads the new body from its start, so a source that recovers loads; one that keeps breaking ends FAILED with the
 * failure that began it, not with what the redeliveries left behind.
 */
class BrokenDownloadIsRetriedWithANewRequestTest extends HttpSourceTestSupport {

    private static final int MAXIMUM_REDELIVERIES = 3;

    @Override
    protected Properties sourceProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.errors.maximumRedeliveries", String.valueOf(MAXIMUM_REDELIVERIES));
        p.setProperty("pipeline.errors.redeliveryDelay", "50ms");
        return p;
    }

    @Test
    void aBodyCutShortOnceLoadsFromTheNextRequest() throws Exception {
        byte[] csv = sampleCsv().getBytes(StandardCharsets.UTF_8);
        AtomicInteger answers = new AtomicInteger();
        source.serveStreamed(SOURCE_PATH, csv.length, body ->
                body.write(csv, 0, answers.getAndIncrement() == 0 ? csv.length / 2 : csv.length));
        source.start();

        JsonNode report = awaitReport();
        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals(20, report.path("rowsWritten").asLong(), report.toString());
        assertEquals(csv.length, report.path("bytesRead").asLong(), report.toString());
        assertEquals(2, source.requests(SOURCE_PATH).size(), source.requests().toString());
    }

    @Test
    void aBodyCutShortEveryTimeIsReportedWithTheFirstFailure() throws Exception {
        byte[] csv = sampleCsv().getBytes(StandardCharsets.UTF_8);
        source.serveStreamed(SOURCE_PATH, csv.length, body -> body.write(csv, 0, csv.length / 2));
        source.start();

        JsonNode report = awaitReport();
        assertEquals("FAILED", report.path("status").asText(), report.toString());
        String message = report.at("/error/message").asText();
        assertTrue(message.startsWith("Premature end of Content-Length delimited message body"), message);
        assertFalse(message.contains("closed stream"), message);
        assertEquals(1 + MAXIMUM_REDELIVERIES, source.requests(SOURCE_PATH).size(), source.requests().toString());
    }
}
