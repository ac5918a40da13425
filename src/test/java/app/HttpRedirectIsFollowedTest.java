package app;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer.Request;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A source URL that answers 301 or 302 is followed to its target, whose rows are loaded. */
class HttpRedirectIsFollowedTest extends HttpSourceTestSupport {

    private static final String TARGET = "/exports/2024/products.csv";

    @Test
    void temporaryRedirectIsFollowed() throws Exception {
        source.serve(SOURCE_PATH, Response.redirect(302, source.url(TARGET)))
                .serve(TARGET, Response.csv(sampleCsv()))
                .start();

        assertTargetLoaded(awaitReport());
    }

    @Test
    void permanentRedirectToARelativeLocationIsFollowed() throws Exception {
        source.serve(SOURCE_PATH, Response.redirect(301, TARGET))
                .serve(TARGET, Response.csv(sampleCsv()))
                .start();

        assertTargetLoaded(awaitReport());
    }

    private void assertTargetLoaded(JsonNode report) throws Exception {
        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals("http", report.path("trigger").asText(), report.toString());
        assertEquals(sampleCsv().length(), report.path("bytesRead").asLong(), report.toString());
        assertEquals(sampleRows(), asRows(readParquet(report.path("parquetUri").asText())));
        List<String> asked = source.requests().stream().map(Request::path).toList();
        assertEquals(List.of(SOURCE_PATH, TARGET), asked);
    }
}
