package ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import observe.ManagementServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import support.HeadlessChromium;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run in progress is on the open runs page as RUNNING with the stage it is in (here its download, which the source
 * holds half-way), in the API's {@code inProgress} too, and the same page shows it SUCCEEDED once it ended, without a
 * reload.
 */
class RunInProgressShowsItsStageInTheBrowserTest extends HttpSourceTestSupport {

    @Override
    protected Properties sourceProperties() {
        Properties p = new Properties();
        p.setProperty("camel.management.enabled", "true");
        p.setProperty("camel.management.port", "0");
        p.setProperty("pipeline.source.pollInterval", "1h");
        // the source holds its answer until the test has seen the run in progress
        p.setProperty("pipeline.source.readTimeout", "300s");
        return p;
    }

    @Test
    void theRunShowsItsStageWhileItRunsThenItsEnd() throws Exception {
        byte[] csv = sampleCsv().getBytes(StandardCharsets.UTF_8);
        CountDownLatch seen = new CountDownLatch(1);
        source.serveStreamed(SOURCE_PATH, csv.length, body -> {
            body.write(csv, 0, csv.length / 2);
            body.flush();
            seen.await();
            body.write(csv, csv.length / 2, csv.length - csv.length / 2);
        });
        source.start();
        URI app = ManagementServer.address(context).orElseThrow(() -> new AssertionError("no management server"));
        try (HeadlessChromium browser = HeadlessChromium.start(getClass().getSimpleName())) {
            WebDriver page = browser.driver();
            browser.open(app.resolve("/"));
            Map<String, Object> live = browser.await("the run in progress", d -> read(d, "var row ="
                    + " document.querySelector('table.runs tr.run.live'); return row && {status:"
                    + " row.querySelector('.status').textContent, stage: row.querySelector('.stage').textContent};"));
            assertEquals(Map.of("status", "RUNNING", "stage", "download"), live);
            ((JavascriptExecutor) page).executeScript("window.notReloaded = true;");
            JsonNode api = JSON.readTree(HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(app.resolve("/api/runs")).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("download", api.path("inProgress").path(0).path("stage").asText(), api.toString());
            assertEquals(0, api.path("matching").asInt(), api.toString());
            assertTrue(api.path("inProgress").path(0).path("elapsedMs").asLong() > 0, "running since it began: " + api);
            browser.screenshot("in-progress");

            seen.countDown();
            browser.await("the run SUCCEEDED on the same page", d -> {
                Map<String, Object> shown = read(d, "var status = document.querySelector('table.runs"
                        + " tr.run:not(.live) .status'); return status && status.textContent === 'SUCCEEDED'"
                        + " ? {live: document.querySelectorAll('table.runs tr.run.live').length} : null;");
                return shown != null && shown.get("live").equals(0L);
            });
            assertEquals(Boolean.TRUE, ((JavascriptExecutor) page).executeScript("return window.notReloaded;"),
                    "the page was updated, not reloaded");
            browser.screenshot("ended");
        } finally {
            seen.countDown();
        }
        JsonNode report = awaitReport();
        assertEquals(20, report.path("rowsWritten").asLong(), report.toString());
    }

    /** What {@code script} returns about the page now; null (not yet) is waited out by {@code await}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(WebDriver page, String script) {
        return (Map<String, Object>) ((JavascriptExecutor) page).executeScript(script);
    }
}
