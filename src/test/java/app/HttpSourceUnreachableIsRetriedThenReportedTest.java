package app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A source whose port refuses connections is retried with backoff, then reported as a FAILED download. */
class HttpSourceUnreachableIsRetriedThenReportedTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.source.url", "http://127.0.0.1:" + closedPort() + "/products.csv");
        p.setProperty("pipeline.inbox.enabled", "false");
        p.setProperty("pipeline.errors.maximumRedeliveries", "2");
        p.setProperty("pipeline.errors.redeliveryDelay", "50ms");
        return p;
    }

    @Test
    void refusedConnectionIsRetriedThenReported() throws Exception {
        JsonNode report = awaitReport();

        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertEquals("http", report.path("trigger").asText(), report.toString());
        assertEquals("download", report.path("error").path("stage").asText(), report.toString());
        assertTrue(report.path("error").path("message").asText().contains("refused"), report.toString());
        assertTrue(report.path("durationMs").asLong() >= 50 + 100,
                "two redeliveries, after 50 ms then 100 ms of backoff: " + report);
        assertEquals(1, reports().size(), reports().toString());
    }

    /** A port that was free a moment ago: nothing listens there. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
