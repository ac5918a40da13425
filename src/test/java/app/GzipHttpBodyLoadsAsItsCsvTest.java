package app;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code Content-Encoding: gzip} body is stored as received, never inflated by the HTTP client (its size and SHA-256
 * are those of the gzip bytes), and the convert, telling gzip by its first bytes, loads the rows of the CSV it holds.
 */
class GzipHttpBodyLoadsAsItsCsvTest extends HttpSourceTestSupport {

    @Test
    void aGzipBodyIsStoredAsReceivedAndLoadsTheRowsOfItsCsv() throws Exception {
        // names with random parts, so that the gzip body is about 1 MB
        StringBuilder csv = new StringBuilder("product_id,product_name,product_category,brand\n");
        SplittableRandom random = new SplittableRandom(25);
        for (int id = 1; id <= 65_000; id++) {
            csv.append(id).append(",Lamp ").append(Long.toHexString(random.nextLong())).append(",Home,Brand ")
                    .append(id % 97).append('\n');
        }
        byte[] plain = csv.toString().getBytes(StandardCharsets.UTF_8);
        byte[] gzip = CompressedInboxDropLoadsLikeThePlainFileTest.gzip(plain);
        assertTrue(gzip.length > 900_000 && gzip.length < 1_200_000, gzip.length + " bytes of gzip");
        source.serve(SOURCE_PATH, new Response(200, Map.of("Content-Type", "text/csv; charset=utf-8",
                "Content-Encoding", "gzip"), gzip)).start();

        JsonNode report = awaitReport();

        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals(gzip.length, report.path("bytesRead").asLong(), "the body as received: " + report);
        assertEquals(sha256(gzip), report.path("sha256").asText(), "the identity of the body as received");
        assertEquals("gzip", report.path("compression").asText(), report.toString());
        assertEquals(plain.length, report.path("csvBytes").asLong(), report.toString());
        assertEquals(65_000, report.path("rowsWritten").asLong(), report.toString());
        assertEquals(rowsOf(csv.toString()), asRows(readParquet(report.path("parquetUri").asText())));
        assertNull(source.requests(SOURCE_PATH).get(0).header("Accept-Encoding"), "no compressed encoding asked for");
    }
}
