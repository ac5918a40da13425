package app;

import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A source that does not answer within {@code pipeline.source.readTimeout} is redelivered, then reported FAILED. */
class HttpReadTimeoutIsRetriedThenReportedTest extends HttpSourceTestSupport {

    private static final int MAXIMUM_REDELIVERIES = 2;

    @Override
    protected Properties sourceProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.errors.maximumRedeliveries", String.valueOf(MAXIMUM_REDELIVERIES));
        p.setProperty("pipeline.errors.redeliveryDelay", "50ms");
        p.setProperty("pipeline.source.readTimeout", "500ms");
        return p;
    }

    @Test
    void readTimeoutIsRetriedThenReported() throws Exception {
        String csv = sampleCsv();
        CountDownLatch runReported = new CountDownLatch(1);
        source.serve(SOURCE_PATH, request -> {
            blockUntil(runReported); // the server answers once the run is reported, long after every read timeout
            return Response.csv(csv);
        }).start();

        JsonNode report = awaitReport();
        runReported.countDown();

        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertEquals("http", report.path("trigger").asText(), report.toString());
        assertEquals("download", report.path("error").path("stage").asText(), report.toString());
        assertTrue(report.path("parquetUri").isMissingNode(), report.toString());
        String message = report.path("error").path("message").asText().toLowerCase(Locale.ROOT);
        assertTrue(message.contains("timeout") || message.contains("timed out"), report.toString());
        // a request is recorded when the server takes it, which may come after the client gave up on it
        assertEquals(1 + MAXIMUM_REDELIVERIES, source.awaitRequests(SOURCE_PATH, 1 + MAXIMUM_REDELIVERIES, RUN_LIMIT)
                .size(), source.requests().toString());
    }

    private static void blockUntil(CountDownLatch latch) {
        try {
            latch.await(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
