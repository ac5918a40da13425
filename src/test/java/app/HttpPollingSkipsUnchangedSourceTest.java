package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer.Request;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The HTTP poller loads a source once, skips it while unchanged (304 or same SHA-256 as the last load), loads it when
 * it changes, back to an earlier version too.
 */
class HttpPollingSkipsUnchangedSourceTest extends HttpSourceTestSupport {

    private static final String CHANGED = """
            product_id,product_name,product_category,brand
            101,Espresso Grinder,Kitchen,Baratza
            102,Trail Running Vest,Sports,Salomon
            103,USB-C Hub 7-in-1,Electronics,Anker
            """;

    /** Enough polls to be sure the unchanged source was asked again, and skipped, several times. */
    private static final int POLLS_WHILE_UNCHANGED = 4;

    @Override
    protected Properties sourceProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.source.pollInterval", "300ms");
        return p;
    }

    @Test
    void sourceWithETagIsAskedIfNoneMatchAndA304LoadsNothing() throws Exception {
        String first = sampleCsv();
        source.serveWithETag(SOURCE_PATH, first, "\"v1\"").start();

        JsonNode firstRun = awaitReport();
        assertLoaded(firstRun, first);
        assertNull(source.requests(SOURCE_PATH).get(0).header("If-None-Match"));

        List<Request> polls = source.awaitRequests(SOURCE_PATH, 1 + POLLS_WHILE_UNCHANGED + 1, RUN_LIMIT);
        for (Request poll : polls.subList(1, polls.size())) {
            assertEquals("\"v1\"", poll.header("If-None-Match"), poll.toString());
            assertEquals(304, poll.status(), poll.toString());
        }
        assertEquals(1, reports().size(), "a 304 must not start a reported run: " + reports());

        source.serveWithETag(SOURCE_PATH, CHANGED, "\"v2\"");
        JsonNode secondRun = awaitOtherRun(firstRun);
        assertLoaded(secondRun, CHANGED);
        int asked = source.requests(SOURCE_PATH).size();
        List<Request> after = source.awaitRequests(SOURCE_PATH, asked + POLLS_WHILE_UNCHANGED, RUN_LIMIT);
        Request last = after.get(after.size() - 1);
        assertEquals("\"v2\"", last.header("If-None-Match"), last.toString());
        assertEquals(304, last.status(), last.toString());
        assertEquals(2, reports().size(), reports().toString());
    }

    @Test
    void sourceWithLastModifiedIsAskedIfModifiedSinceAndA304LoadsNothing() throws Exception {
        String first = sampleCsv();
        String lastModified = "Wed, 21 Oct 2015 07:28:00 GMT";
        source.serve(SOURCE_PATH, request -> lastModified.equals(request.header("If-Modified-Since"))
                ? Response.notModified()
                : Response.csv(first).withHeader("Last-Modified", lastModified)).start();

        assertLoaded(awaitReport(), first);

        List<Request> polls = source.awaitRequests(SOURCE_PATH, 1 + POLLS_WHILE_UNCHANGED + 1, RUN_LIMIT);
        for (Request poll : polls.subList(1, polls.size())) {
            assertEquals(lastModified, poll.header("If-Modified-Since"), poll.toString());
            assertEquals(304, poll.status(), poll.toString());
        }
        assertEquals(1, reports().size(), "a 304 must not start a reported run: " + reports());
    }

    @Test
    void sourceWithoutValidatorsIsSkippedWhileItsSha256IsUnchanged() throws Exception {
        String first = sampleCsv();
        source.serve(SOURCE_PATH, Response.csv(first)).start();

        JsonNode firstRun = awaitReport();
        assertLoaded(firstRun, first);

        List<Request> polls = source.awaitRequests(SOURCE_PATH, 1 + POLLS_WHILE_UNCHANGED + 1, RUN_LIMIT);
        for (Request poll : polls) {
            assertEquals(200, poll.status(), poll.toString());
            assertNull(poll.header("If-None-Match"), poll.toString());
        }
        assertEquals(1, reports().size(), "the same content must not be loaded twice: " + reports());

        source.serve(SOURCE_PATH, Response.csv(CHANGED));
        JsonNode secondRun = awaitOtherRun(firstRun);
        assertLoaded(secondRun, CHANGED);
        int asked = source.requests(SOURCE_PATH).size();
        source.awaitRequests(SOURCE_PATH, asked + POLLS_WHILE_UNCHANGED, RUN_LIMIT);
        assertEquals(2, reports().size(), reports().toString());
    }

    @Test
    void sourceReturningToAnEarlierVersionIsLoadedAgain() throws Exception {
        String a = sampleCsv();
        source.serve(SOURCE_PATH, Response.csv(a)).start();
        JsonNode firstA = awaitReport();
        assertLoaded(firstA, a);

        source.serve(SOURCE_PATH, Response.csv(CHANGED));
        JsonNode b = awaitOtherRun(firstA);
        assertLoaded(b, CHANGED);

        source.serve(SOURCE_PATH, Response.csv(a));
        JsonNode secondA = awaitReport(report -> !report.path("runId").asText().equals(firstA.path("runId").asText())
                && !report.path("runId").asText().equals(b.path("runId").asText()), RUN_LIMIT);
        assertLoaded(secondA, a);

        int asked = source.requests(SOURCE_PATH).size();
        source.awaitRequests(SOURCE_PATH, asked + POLLS_WHILE_UNCHANGED, RUN_LIMIT);
        assertEquals(3, reports().size(), "A, B, then A again, each once: " + reports());
    }

    @Test
    void unchangedBadSourceIsReportedOnceNotOnEveryPoll() throws Exception {
        source.serve(SOURCE_PATH, Response.csv("product_id,product_name,product_category,brand\none,Lamp,Home,BenQ\n"))
                .start();

        JsonNode failed = awaitReport();
        assertEquals("FAILED", failed.path("status").asText(), failed.toString());
        assertEquals("convert", failed.path("error").path("stage").asText(), failed.toString());

        source.awaitRequests(SOURCE_PATH, 1 + POLLS_WHILE_UNCHANGED + 1, RUN_LIMIT);
        assertEquals(1, reports().size(), "the same bad content must not fail again on every poll: "
                + reports().size() + " reports");
        try (var kept = Files.list(dataDir.resolve("failed"))) {
            assertEquals(1, kept.filter(f -> !f.toString().endsWith(".error.json")).count(),
                    "one copy of the bad content in failed/");
        }
    }

    /** A SUCCEEDED http run of exactly {@code csv}, whose Parquet holds its rows. */
    private void assertLoaded(JsonNode report, String csv) throws Exception {
        byte[] body = csv.getBytes(StandardCharsets.UTF_8);
        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals("http", report.path("trigger").asText(), report.toString());
        assertEquals(sourceUrl(), report.path("source").asText(), report.toString());
        assertEquals(body.length, report.path("bytesRead").asLong(), report.toString());
        assertEquals(sha256(body), report.path("sha256").asText(), report.toString());
        assertEquals(rowsOf(csv).size(), report.path("rowsWritten").asLong(), report.toString());
        assertEquals(rowsOf(csv), asRows(readParquet(report.path("parquetUri").asText())));
    }

    private JsonNode awaitOtherRun(JsonNode run) throws Exception {
        String runId = run.path("runId").asText();
        return awaitReport(report -> !runId.equals(report.path("runId").asText()), RUN_LIMIT);
    }
}
