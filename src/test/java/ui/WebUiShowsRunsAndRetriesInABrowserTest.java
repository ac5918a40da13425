package ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import observe.ManagementServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import support.HeadlessChromium;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI of the running service, in Debian's headless Chromium, with two datasets fed through their inboxes: the
 * open runs page shows both runs SUCCEEDED as they end, without a reload; the dataset page shows the row count DuckDB
 * answers and one snapshot per load; a bad CSV's run page shows FAILED with its line and column, and "Retry" of the
 * fixed file loads it; a POST without the page's CSRF token is refused; the browser asks nothing of any other server.
 */
class WebUiShowsRunsAndRetriesInABrowserTest extends PipelineTestSupport {

    private static final String HEADER = "product_id,product_name,product_category,brand\n";

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected Properties testProperties() {
        Properties p = fastInbox();
        p.setProperty("camel.management.enabled", "true");
        p.setProperty("camel.management.port", "0");
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        p.setProperty("pipeline.datasets", "products,orders");
        // the products' query is DuckDB's count of the table's rows, which the dataset page must show
        p.setProperty("pipeline.dataset.products.query.sql", "SELECT COUNT(*) AS row_count FROM \"data\".\"products\"");
        p.setProperty("pipeline.dataset.products.table.mode", "append");
        p.setProperty("pipeline.dataset.orders.convert.schema", "classpath:schemas/orders.avsc");
        p.setProperty("pipeline.dataset.orders.table.name", "orders");
        return p;
    }

    @Test
    void runsAppearAsTheyEndAndAFixedInputIsRetriedFromItsRunPage() throws Exception {
        URI app = ManagementServer.address(context).orElseThrow(() -> new AssertionError("no management server"));
        try (HeadlessChromium browser = HeadlessChromium.start(getClass().getSimpleName())) {
            WebDriver page = browser.driver();
            browser.open(app.resolve("/"));
            browser.await("the runs page", d -> d.findElement(By.cssSelector("table.runs")));
            // gone if the page were loaded again
            ((JavascriptExecutor) page).executeScript("window.notReloaded = true;");

            dropInto("products", "products.csv", Files.readAllBytes(samplePath()));
            dropInto("orders", "orders.csv", Files.readAllBytes(Path.of("samples/orders.csv")));
            browser.await("both runs SUCCEEDED on the open page", d -> finishedRuns(d, "SUCCEEDED").size() == 2);
            assertEquals(Boolean.TRUE, ((JavascriptExecutor) page).executeScript("return window.notReloaded;"),
                    "the runs appeared without a reload");
            List<String> datasets = finishedRuns(page, "SUCCEEDED").stream().map(Row::dataset).sorted().toList();
            assertEquals(List.of("orders", "products"), datasets);
            browser.screenshot("runs");

            JsonNode loaded = awaitReportOfDrop("products.csv");
            assertDatasetPageShowsDuckDbsCount(browser, app, loaded, 1);

            // a bad value on line 3: the run fails naming line and column, and the file waits in .failed/
            dropInto("products", "more.csv", (HEADER + "21,Lamp,Home,BenQ\nabc,Mat,Sports,Manduka\n")
                    .getBytes(StandardCharsets.UTF_8));
            JsonNode failed = awaitReportOfDrop("more.csv");
            assertEquals("FAILED", failed.path("status").asText(), failed.toString());
            browser.open(app.resolve("/"));
            browser.await("the failed run listed", d -> finishedRuns(d, "FAILED").size() == 1);
            String failedRun = finishedRuns(page, "FAILED").get(0).runId();
            assertEquals(failed.path("runId").asText(), failedRun);
            browser.await("the failed run's page opened from its link", d -> {
                d.findElement(By.linkText(failedRun)).click();
                return true;
            });
            Map<String, Object> shown = browser.await("the run page", d -> read(d, "var line ="
                    + " document.querySelector('dd.line'); return line && {status: document.querySelector('h1"
                    + " .status').textContent, line: line.textContent, column:"
                    + " document.querySelector('dd.column').textContent, value:"
                    + " document.querySelector('dd.value').textContent, stage:"
                    + " document.querySelector('.error .stage').textContent, fix:"
                    + " document.querySelector('.error .fix').textContent.includes('pipeline.convert.onBadRow=skip')};"));
            assertEquals(Map.of("status", "FAILED", "line", "3", "column", "product_id", "value", "abc",
                    "stage", "convert", "fix", true), shown);
            browser.screenshot("failed-run");

            // fixed where it waits, as a user would, then retried from the run's page
            Path kept = inbox("products").resolve(".failed").resolve("more.csv");
            Files.writeString(kept, HEADER + "21,Lamp,Home,BenQ\n22,Mat,Sports,Manduka\n");
            browser.await("the retry button pressed", d -> {
                d.findElement(By.cssSelector("button.retry")).click();
                return true;
            });
            browser.await("the retried file's run SUCCEEDED", d -> finishedRuns(d, "SUCCEEDED").stream()
                    .anyMatch(row -> row.source().equals("more.csv")));
            browser.screenshot("retried");
            JsonNode retried = awaitReport(r -> "more.csv".equals(r.path("source").asText())
                                                && "SUCCEEDED".equals(r.path("status").asText()), RUN_LIMIT);
            assertEquals(2, retried.path("rowsWritten").asLong(), retried.toString());
            assertEquals(List.of("row_count", "22"), Files.readAllLines(Path.of(retried.path("query")
                    .path("resultsFile").asText())), "the 20 rows and the 2 of the retried file");
            assertDatasetPageShowsDuckDbsCount(browser, app, retried, 2);

            // the page of the README: every run of both datasets, the failed one with why
            browser.open(app.resolve("/"));
            browser.await("all four runs", d -> finishedRuns(d, "SUCCEEDED").size() == 3
                                                  && finishedRuns(d, "FAILED").size() == 1);
            browser.screenshotOfContent("runs-all");

            List<String> requests = browser.requestsOfPagesOf(app);
            assertTrue(requests.stream().anyMatch(url -> url.endsWith("/ui/app.js")), requests.toString());
            assertTrue(requests.stream().anyMatch(url -> url.endsWith("/api/events")), requests.toString());
            assertEquals(List.of(), requests.stream()
                    .filter(url -> !url.startsWith(app.resolve("/").toString()) && !url.startsWith("data:")).toList(),
                    "every request of the pages goes to the app");
        }

        HttpResponse<String> noToken = post(app.resolve("/datasets/products/retry"), "file=more.csv", null);
        assertEquals(403, noToken.statusCode(), noToken.body());
        HttpResponse<String> wrongToken = post(app.resolve("/datasets/products/retry"), "file=more.csv&csrf=guess",
                null);
        assertEquals(403, wrongToken.statusCode(), wrongToken.body());
        String csrf = csrfOf(get(app.resolve("/datasets/products")).body());
        HttpResponse<String> otherSite = post(app.resolve("/datasets/products/retry"), "file=more.csv&csrf=" + csrf,
                "http://elsewhere.example");
        assertEquals(403, otherSite.statusCode(), otherSite.body());
    }

    /** The dataset page's row count is DuckDB's count in {@code run}'s answer; one snapshot per load. */
    private void assertDatasetPageShowsDuckDbsCount(HeadlessChromium browser, URI app, JsonNode run, int loads)
            throws Exception {
        List<String> answer = Files.readAllLines(Path.of(run.path("query").path("resultsFile").asText()));
        assertEquals("row_count", answer.get(0), answer.toString());
        String duckDbCount = answer.get(1);
        browser.open(app.resolve("/datasets/products"));
        Map<String, Object> shown = browser.await("the dataset's row count", d -> read(d, "var count ="
                + " document.getElementById('row-count'); return count && {rows: count.textContent, snapshots:"
                + " Array.from(document.querySelectorAll('table.snapshots tr.snapshot')).map(r => r.textContent),"
                + " lines: document.querySelectorAll('svg#rows-chart polyline').length, bars:"
                + " document.querySelectorAll('svg#duration-chart rect.bar').length};"));
        assertEquals(duckDbCount, shown.get("rows").toString().replace(",", ""));
        @SuppressWarnings("unchecked")
        List<String> snapshots = (List<String>) shown.get("snapshots");
        assertEquals(loads, snapshots.size(), "one snapshot per load: " + snapshots);
        assertTrue(snapshots.get(0).contains(run.path("runId").asText()),
                "the newest snapshot names the run that made it: " + snapshots.get(0));
        assertEquals(1L, shown.get("lines"), "rows over time");
        assertTrue((Long) shown.get("bars") >= loads, "a bar per run: " + shown);
        browser.screenshot("dataset-after-" + loads + "-loads");
    }

    /** What {@code script} returns about the page now; null (not yet) is waited out by {@code await}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(WebDriver page, String script) {
        return (Map<String, Object>) ((JavascriptExecutor) page).executeScript(script);
    }

    /** A finished run as a row of the runs page shows it. */
    private record Row(String status, String runId, String dataset, String source) {
    }

    /** The finished runs with {@code status} on the runs page as shown now, read in one go: the page moves. */
    private static List<Row> finishedRuns(WebDriver page, String status) {
        @SuppressWarnings("unchecked")
        List<List<Object>> rows = (List<List<Object>>) ((JavascriptExecutor) page).executeScript(
                "return Array.from(document.querySelectorAll('table.runs tr.run:not(.live)')).map(r =>"
                + " [r.cells[0].textContent, r.cells[1].textContent, r.cells[2].textContent, r.cells[4].textContent]);");
        return rows.stream().map(r -> new Row(r.get(0).toString().trim(), r.get(1).toString().trim(),
                r.get(2).toString().trim(), r.get(3).toString().trim())).filter(r -> r.status().equals(status)).toList();
    }

    private Path inbox(String dataset) {
        return dataDir.resolve("inbox").resolve(dataset);
    }

    private void dropInto(String dataset, String name, byte[] content) throws Exception {
        drop(inbox(dataset), name, content);
    }

    private static String csrfOf(String html) {
        int at = html.indexOf("name=\"csrf-token\" content=\"");
        assertTrue(at >= 0, "the page's CSRF token: " + html);
        int from = at + "name=\"csrf-token\" content=\"".length();
        return html.substring(from, html.indexOf('"', from));
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String form, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
