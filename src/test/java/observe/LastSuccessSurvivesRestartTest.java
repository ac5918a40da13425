package observe;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.PipelineRun;
import run.RunFiles;
import run.RunReporter;
import support.ApplicationProcess;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service started on a data dir with earlier reports shows, before any new run, when the dataset last loaded
 * successfully: the newest SUCCEEDED report, not a newer failure.
 */
class LastSuccessSurvivesRestartTest {

    @TempDir
    Path dir;

    private ApplicationProcess.Running service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.kill();
        }
    }

    @Test
    void theGaugeStartsFromTheNewestSuccessfulReport() throws Exception {
        Path data = dir.resolve("data");
        RunReporter reporter = new RunReporter(data);
        PipelineRun succeeded = new PipelineRun("file", "products.csv");
        succeeded.setDataset("products");
        succeeded.succeeded();
        reporter.finish(succeeded, RunFiles.none());
        Thread.sleep(1100); // run ids are named after their start second: the failure is the newer report
        PipelineRun failed = new PipelineRun("file", "bad.csv");
        failed.setDataset("products");
        failed.failed("convert", "line 2, column product_id, value 'x': not an int");
        reporter.finish(failed, RunFiles.none());

        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        service = ApplicationProcess.start(data, List.of("-Dcamel.management.port=" + port), Map.of());
        HttpClient http = HttpClient.newHttpClient();
        AtomicReference<String> metrics = new AtomicReference<>();
        await("the metrics of the started service").atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            metrics.set(response.body());
            // the server may answer before the context's start-up listeners have read the reports
            return response.statusCode() == 200 && response.body().contains("pipeline_last_success_seconds");
        });
        Matcher gauge = Pattern.compile("^pipeline_last_success_seconds\\{dataset=\"products\"} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics.get());
        assertTrue(gauge.find(), metrics.get());
        assertEquals(succeeded.getFinishedAt().toEpochMilli() / 1000.0, Double.parseDouble(gauge.group(1)), 1e-3);
    }
}
