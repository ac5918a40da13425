package ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import observe.ManagementServer;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code pipeline.ui.token} set, every page, asset and API answer of the web UI needs it (as a bearer token or
 * HTTP basic's password); no answer shows the token or the source URL's secrets; and "poll now", a POST with the
 * page's CSRF token, polls the HTTP source at once.
 */
class WebUiNeedsItsTokenTest extends HttpSourceTestSupport {

    private static final String TOKEN = "ui-token-7f3a9c2e51d8";
    private static final String SOURCE_KEY = "source-key-b41d2e9a";

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected Properties sourceProperties() {
        Properties p = new Properties();
        p.setProperty("camel.management.enabled", "true");
        p.setProperty("camel.management.port", "0");
        p.setProperty("pipeline.ui.token", TOKEN);
        p.setProperty("pipeline.source.url", sourceUrl() + "?key=" + SOURCE_KEY);
        // one poll at start; the next only when asked for
        p.setProperty("pipeline.source.pollInterval", "1h");
        return p;
    }

    @Test
    void everyAnswerNeedsTheTokenShowsNoSecretAndPollNowPolls() throws Exception {
        source.serveInTurn(SOURCE_PATH, Response.csv(sampleCsv()), Response.csv(sampleCsvWithIdsFrom(100))).start();
        JsonNode first = awaitReport();
        assertEquals("SUCCEEDED", first.path("status").asText(), first.toString());
        URI app = ManagementServer.address(context).orElseThrow(() -> new AssertionError("no management server"));
        String run = "/runs/" + first.path("runId").asText();
        List<String> paths = List.of("/", "/runs", run, "/datasets", "/datasets/products", "/ui/app.js",
                "/ui/app.css", "/api/runs", "/api/runs/" + first.path("runId").asText(), "/api/datasets",
                "/api/datasets/products", "/api/events");

        for (String path : paths) {
            assertEquals(401, get(app.resolve(path), null).statusCode(), path + " without the token");
            assertEquals(401, get(app.resolve(path), "Bearer not-" + TOKEN).statusCode(), path + " wrong token");
        }
        List<String> answers = new ArrayList<>();
        for (String path : paths.subList(0, paths.size() - 1)) {
            HttpResponse<String> bearer = get(app.resolve(path), "Bearer " + TOKEN);
            assertTrue(bearer.statusCode() == 200 || bearer.statusCode() == 303, path + ": " + bearer.statusCode());
            answers.add(bearer.body());
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString(("anyone:" + TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> page = get(app.resolve("/datasets/products"), basic);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("?***"), "the source shown masked: " + page.body());
        for (String answer : answers) {
            assertFalse(answer.contains(TOKEN), "the token in an answer: " + answer);
            assertFalse(answer.contains(SOURCE_KEY), "the source's key in an answer: " + answer);
        }
        String runPage = answers.get(paths.indexOf(run));
        assertTrue(runPage.contains("Load ledger") && runPage.contains("data.products_loads"),
                "the run's row in the load ledger: " + runPage);
        JsonNode runs = JSON.readTree(get(app.resolve("/api/runs"), "Bearer " + TOKEN).body());
        assertEquals(1, runs.path("matching").asInt(), runs.toString());
        assertEquals(first.path("runId").asText(), runs.path("runs").get(0).path("runId").asText());

        // "poll now": refused without the page's CSRF token, even with the access token; with it, the source is polled
        String csrf = csrfOf(page.body());
        HttpResponse<String> noCsrf = post(app.resolve("/datasets/products/poll"), "", "Bearer " + TOKEN);
        assertEquals(403, noCsrf.statusCode(), noCsrf.body());
        HttpResponse<String> noAccess = post(app.resolve("/datasets/products/poll"), "csrf=" + csrf, null);
        assertEquals(401, noAccess.statusCode(), noAccess.body());
        assertEquals(1, reports().size(), "nothing polled yet");
        HttpResponse<String> polled = post(app.resolve("/datasets/products/poll"), "csrf=" + csrf, "Bearer " + TOKEN);
        assertEquals(303, polled.statusCode(), polled.body());
        List<JsonNode> both = awaitReports(2, RUN_LIMIT);
        assertEquals("SUCCEEDED", both.get(1).path("status").asText(), both.get(1).toString());
        assertEquals(20, both.get(1).path("rowsWritten").asLong(), both.get(1).toString());
        await("the new run in the API").atMost(RUN_LIMIT).until(() -> JSON.readTree(get(app.resolve("/api/runs"),
                "Bearer " + TOKEN).body()).path("matching").asInt() == 2);
    }

    private static String csrfOf(String html) {
        int at = html.indexOf("name=\"csrf-token\" content=\"");
        assertTrue(at >= 0, "the page's CSRF token: " + html);
        int from = at + "name=\"csrf-token\" content=\"".length();
        return html.substring(from, html.indexOf('"', from));
    }

    private HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String form, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
