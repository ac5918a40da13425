package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 5xx answers are redelivered with backoff then reported as a FAILED download; a 404 and bad data are not retried
 * (HttpReadTimeoutIsRetriedThenReportedTest: an answer that never comes).
 */
class HttpServerErrorIsRetriedThenReportedTest extends HttpSourceTestSupport {

    private static final int MAXIMUM_REDELIVERIES = 2;

    @Override
    protected Properties sourceProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.errors.maximumRedeliveries", String.valueOf(MAXIMUM_REDELIVERIES));
        p.setProperty("pipeline.errors.redeliveryDelay", "50ms");
        return p;
    }

    @Test
    void twoServerErrorsThenOkSucceedsOnTheThirdRequest() throws Exception {
        source.serveInTurn(SOURCE_PATH, Response.status(500), Response.status(500), Response.csv(sampleCsv())).start();

        JsonNode report = awaitReport();

        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals(sampleRows(), asRows(readParquet(report.path("parquetUri").asText())));
        assertEquals(3, source.requests(SOURCE_PATH).size(), source.requests().toString());
        assertEquals(1, reports().size(), reports().toString());
    }

    @Test
    void serverErrorForEverFailsInDownloadAfterEveryRedelivery() throws Exception {
        source.serve(SOURCE_PATH, Response.status(500)).start();

        JsonNode report = awaitReport();

        assertFailedIn("download", report);
        assertTrue(report.path("error").path("message").asText().contains("500"), report.toString());
        awaitRunEnded();
        assertEquals(1 + MAXIMUM_REDELIVERIES, source.requests(SOURCE_PATH).size(), source.requests().toString());
        assertEquals(1, reports().size(), reports().toString());
        assertFalse(Files.exists(dataDir.resolve("failed")), "no body was received, nothing to keep");
    }

    @Test
    void notFoundIsReportedWithoutRetry() throws Exception {
        source.serve(SOURCE_PATH, Response.status(404)).start();

        JsonNode report = awaitReport();

        assertFailedIn("download", report);
        assertTrue(report.path("error").path("message").asText().contains("404"), report.toString());
        awaitRunEnded();
        assertEquals(1, source.requests(SOURCE_PATH).size(), source.requests().toString());
    }

    @Test
    void badCsvFromTheSourceFailsInConvertAndIsKeptInFailed() throws Exception {
        String csv = "product_id,product_name,product_category,brand\n1,Lamp,Home,BenQ\nseven,Mat,Sports,Manduka\n";
        source.serve(SOURCE_PATH, Response.csv(csv)).start();

        JsonNode report = awaitReport();

        assertFailedIn("convert", report);
        String message = report.path("error").path("message").asText();
        assertTrue(message.contains("line 3") && message.contains("product_id") && message.contains("seven"),
                message);
        assertEquals(csv.length(), report.path("bytesRead").asLong(), report.toString());
        assertEquals(1, source.requests(SOURCE_PATH).size(), "bad data is not retried: " + source.requests());
        Path kept = dataDir.resolve("failed").resolve("download.csv");
        assertTrue(Files.exists(kept), "the downloaded body must be kept in " + kept.getParent());
        assertEquals(csv, Files.readString(kept, StandardCharsets.UTF_8));
        JsonNode sidecar = JSON.readTree(kept.resolveSibling("download.csv.error.json").toFile());
        assertEquals(report.path("runId").asText(), sidecar.path("runId").asText(), sidecar.toString());
        assertEquals("convert", sidecar.path("stage").asText(), sidecar.toString());
        assertEquals(message, sidecar.path("reason").asText(), sidecar.toString());
        assertEquals(sourceUrl(), sidecar.path("source").asText(), sidecar.toString());
    }

    /** The run's exchange has completed: no redelivery of its request can come any more. */
    private void awaitRunEnded() {
        Awaitility.await("the end of the run's exchange").atMost(RUN_LIMIT)
                .until(() -> context.getInflightRepository().size() == 0);
    }

    private void assertFailedIn(String stage, JsonNode report) {
        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertEquals("http", report.path("trigger").asText(), report.toString());
        assertEquals(stage, report.path("error").path("stage").asText(), report.toString());
        assertTrue(report.path("parquetUri").isMissingNode(), report.toString());
    }
}
