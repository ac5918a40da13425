package app;

import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer.Request;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A body over {@code pipeline.source.maxBytes} fails its run naming the limit, with nothing loaded; the request asks
 * for no compressed encoding, so nothing is ever inflated on this side.
 */
class DownloadLargerThanItsLimitFailsTest extends HttpSourceTestSupport {

    @Override
    protected Properties sourceProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.source.maxBytes", "500");
        return p;
    }

    @Test
    void theRunFailsNamingTheLimit() throws Exception {
        source.serve(SOURCE_PATH, Response.csv(sampleCsv())).start();

        JsonNode report = awaitReport();
        assertEquals("FAILED", report.get("status").asText(), report.toString());
        assertEquals("download", report.at("/error/stage").asText(), report.toString());
        assertTrue(report.at("/error/message").asText().contains("is larger than 500 bytes (pipeline.source.maxBytes)"),
                report.toString());
        assertNull(report.get("snapshotId"), "nothing was loaded: " + report);
        Request request = source.requests(SOURCE_PATH).get(0);
        assertNull(request.header("Accept-Encoding"), "no compressed body is asked for: " + request);
    }
}
