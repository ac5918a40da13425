package observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        // run ids are named after their start second: the failure is the newer report once the clock is past it
        Instant startSecond = succeeded.getStartedAt().truncatedTo(ChronoUnit.SECONDS);
        await("a second later than the first run's start").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50)).until(() -> Instant.now().isAfter(startSecond.plusSeconds(1)));
        PipelineRun failed = new PipelineRun("file", "bad.csv");
        failed.setDataset("products");
        failed.failed("convert", "line 2, column product_id, value 'x': not an int");
        reporter.finish(failed, RunFiles.none());

        // ApplicationProcess asks for camel.management.port=0: the service logs the port it got
        service = ApplicationProcess.start(data, List.of(), Map.of());
        HttpClient http = HttpClient.newHttpClient();
        Pattern listening = Pattern.compile("Management server listening on (http://\\S+)");
        URI server = await("the management server's address in the service's log").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .failFast("the service exited", () -> !service.process().isAlive())
                .until(() -> listening.matcher(service.stdout()).results().map(m -> URI.create(m.group(1)))
                        .findFirst(), Optional::isPresent).orElseThrow();
        AtomicReference<String> metrics = new AtomicReference<>();
        await("the metrics of the started service").atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.resolve("/observe/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
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
