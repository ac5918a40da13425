package observe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The running service answers on its management port: {@code /observe/metrics} counts the runs it reported by
 * dataset and status, with rows, stage timers and the last success; {@code /observe/health} turns DOWN, naming the
 * folder, once the data dir can no longer be written.
 */
class ServiceEndpointsReportRunsAndHealthTest extends PipelineTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected Properties testProperties() {
        Properties p = fastInbox();
        p.setProperty("camel.management.enabled", "true");
        p.setProperty("camel.metrics.enabled", "true");
        p.setProperty("camel.management.port", "0"); // the port the system gives, read back from the server
        return p;
    }

    @Test
    void metricsCountTheRunsAndHealthFallsWhenTheDataDirIsNotWritable() throws Exception {
        byte[] csv = Files.readAllBytes(Path.of("samples/products.csv"));
        drop("products.csv", csv);
        JsonNode succeeded = awaitReportOfDrop("products.csv");
        drop("products-again.csv", csv);
        JsonNode skipped = awaitReportOfDrop("products-again.csv");
        drop("bad.csv", "product_id,product_name,product_category,brand\nnot-a-number,x,y,z\n"
                .getBytes(StandardCharsets.UTF_8));
        JsonNode failed = awaitReportOfDrop("bad.csv");
        assertEquals("SUCCEEDED", succeeded.get("status").asText(), succeeded.toString());
        assertEquals("SKIPPED", skipped.get("status").asText(), skipped.toString());
        assertEquals("FAILED", failed.get("status").asText(), failed.toString());

        String metrics = get("/observe/metrics").body();
        assertEquals(1.0, sample(metrics, "pipeline_runs_total{dataset=\"products\",status=\"SUCCEEDED\"}"));
        assertEquals(1.0, sample(metrics, "pipeline_runs_total{dataset=\"products\",status=\"SKIPPED\"}"));
        assertEquals(1.0, sample(metrics, "pipeline_runs_total{dataset=\"products\",status=\"FAILED\"}"));
        assertEquals(20.0, sample(metrics, "pipeline_rows_written_total{dataset=\"products\"}"));
        assertEquals(0.0, sample(metrics, "pipeline_rows_rejected_total{dataset=\"products\"}"));
        List<JsonNode> reports = List.of(succeeded, skipped, failed);
        for (String stage : List.of("convert", "upload", "load", "query")) {
            long timed = reports.stream().filter(r -> r.path("stageMs").has(stage)).count();
            long millis = reports.stream().mapToLong(r -> r.path("stageMs").path(stage).asLong()).sum();
            String labels = "{dataset=\"products\",stage=\"" + stage + "\"}";
            assertEquals(timed, sample(metrics, "pipeline_stage_duration_seconds_count" + labels), stage);
            assertEquals(millis / 1000.0, sample(metrics, "pipeline_stage_duration_seconds_sum" + labels), 1e-9,
                    stage);
        }
        double finishedAt = Instant.parse(succeeded.get("finishedAt").asText()).toEpochMilli() / 1000.0;
        assertEquals(finishedAt, sample(metrics, "pipeline_last_success_seconds{dataset=\"products\"}"), 1e-3);

        HttpResponse<String> up = get("/observe/health");
        assertEquals(200, up.statusCode(), up.body());
        assertTrue(up.body().contains("\"UP\""), up.body());

        // the reports folder becomes a plain file: no run could write its report any more
        Path runs = dataDir.resolve("runs");
        Files.move(runs, dataDir.resolve("runs-kept"));
        Files.writeString(runs, "not a folder");
        HttpResponse<String> down = get("/observe/health");
        assertEquals(503, down.statusCode(), down.body());
        assertTrue(down.body().contains("\"DOWN\""), down.body());
        assertTrue(down.body().contains("data-dir"), down.body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI server = ManagementServer.address(context).orElseThrow(() -> new AssertionError("no management server"));
        return http.send(HttpRequest.newBuilder(server.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one Prometheus sample, given its name and labels as the text format prints them. */
    private static double sample(String metrics, String nameAndLabels) {
        Matcher m = Pattern.compile("^" + Pattern.quote(nameAndLabels) + " (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        assertTrue(m.find(), "no sample " + nameAndLabels + " in\n" + metrics);
        return Double.parseDouble(m.group(1));
    }
}
