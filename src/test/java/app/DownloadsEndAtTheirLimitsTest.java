package app;

import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer.Streamed;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A download that passes {@code pipeline.source.maxDownloadTime} or {@code pipeline.source.maxBytes} ends there: the
 * connection is closed, not read to the end of its announced body, the run is FAILED naming the limit, and the next
 * poll makes a new request. The server is real (127.0.0.1) and says what it managed to send.
 */
class DownloadsEndAtTheirLimitsTest extends HttpSourceTestSupport {

    private static final long ONE_MB = 1024 * 1024;

    @Override
    protected Properties sourceProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.source.maxDownloadTime", "5s");
        p.setProperty("pipeline.source.maxBytes", "1MB");
        p.setProperty("pipeline.source.pollInterval", "1s");
        return p;
    }

    @Test
    void aTricklingBodyEndsAtTheTimeLimitAndTheNextPollAsksAgain() throws Exception {
        // a megabyte announced, a byte every 100 ms: never silent long enough for the read timeout (20 s)
        Streamed trickle = source.serveStreamed(SOURCE_PATH, ONE_MB - 1, body -> {
            for (long i = 0; i < ONE_MB - 1; i++) {
                body.write('x');
                Thread.sleep(100); // the server's pace, not a wait for anything
            }
        });
        source.start();

        JsonNode report = awaitReport();
        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertTrue(report.at("/error/message").asText().contains("(pipeline.source.maxDownloadTime)"),
                report.toString());
        assertTrue(trickle.awaitCutOff(RUN_LIMIT), "the connection was closed before the body was sent");
        assertTrue(trickle.written() < ONE_MB - 1, trickle.written() + " bytes sent");
        source.awaitRequests(SOURCE_PATH, 2, RUN_LIMIT);
    }

    @Test
    void aBodyOfTwoGigabytesEndsSoonAfterItsFirstMegabyte() throws Exception {
        byte[] chunk = "1,Wireless Headphones,Electronics,Sony\n".repeat(1000).getBytes();
        Streamed endless = source.serveStreamed(SOURCE_PATH, 2L << 30, body -> {
            for (long sent = 0; sent < 2L << 30; sent += chunk.length) {
                body.write(chunk, 0, chunk.length);
            }
        });
        source.start();

        JsonNode report = awaitReport();
        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertTrue(report.at("/error/message").asText().contains("is larger than 1048576 bytes"
                + " (pipeline.source.maxBytes)"), report.toString());
        assertTrue(endless.awaitCutOff(RUN_LIMIT), "the connection was closed before the body was sent");
        // what the socket buffers on both sides took in before the close: a few MB, not 2 GB
        assertTrue(endless.written() < 64 * ONE_MB, endless.written() + " bytes sent");
    }
}
