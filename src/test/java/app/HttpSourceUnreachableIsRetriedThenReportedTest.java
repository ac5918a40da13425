package app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A source whose port refuses connections is retried with backoff, then reported as a FAILED download. */
class HttpSourceUnreachableIsRetriedThenReportedTest extends PipelineTestSupport {

    /** Bound in {@link #testProperties()}, which the Camel test support calls from its constructor: no initializer. */
    private Socket refusing;

    @Override
    protected Properties testProperties() {
        refusing = refusingPort();
        Properties p = new Properties();
        p.setProperty("pipeline.source.url", "http://127.0.0.1:" + refusing.getLocalPort() + "/products.csv");
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

    @AfterEach
    void releasePort() throws IOException {
        refusing.close();
    }

    /** A port bound, so no one else takes it, but not listening: a connection to it is refused. */
    private static Socket refusingPort() {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
