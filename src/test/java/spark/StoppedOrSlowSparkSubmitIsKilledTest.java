package spark;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import config.Settings;
import config.SparkConfig;
import config.TableConfig;
import lake.LoadRequest;
import lake.TestParquet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spark-submit that outlives pipeline.spark.timeout, or that the app's stop ends (having waited for it as long as its
 * shutdown timeout allows: StopDuringARunKeepsTheInputTest), kills the whole process tree and fails the run saying
 * which; a stopped job is never blamed on the configuration. Shell scripts stand in for spark-submit: only the process
 * handling is under test.
 */
class StoppedOrSlowSparkSubmitIsKilledTest {

    /** A wrapper around its job, as spark-submit is: it starts a child, records its pid, and waits for it. */
    private static final String WRAPPER = "#!/bin/sh\necho 'fake spark-submit sleeping' >&2\nsleep 60 &\necho $! > %s\n"
                                          + "wait\n";
    /** The same wrapper, ending 0 once its child is gone, with no LOAD_SUMMARY: a misconfiguration's look. */
    private static final String WRAPPER_EXITING_0 = WRAPPER + "exit 0\n";
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void timeoutKillsTheProcessTree() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        SparkSubmitLoadEngine engine = engine(WRAPPER, pidFile, "5s");

        SparkJobFailedException e = assertThrows(SparkJobFailedException.class, () -> engine.load(request()));
        assertTrue(e.getMessage().contains("did not finish within pipeline.spark.timeout=PT5S"), e.getMessage());
        assertTrue(e.getMessage().contains("fake spark-submit sleeping"), e.getMessage());
        assertGone(pidFile);
    }

    @Test
    void closingTheEngineKillsARunningJob() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        SparkSubmitLoadEngine engine = engine(WRAPPER, pidFile, "5m");
        CompletableFuture<Object> run = startedLoad(engine, pidFile);

        engine.close();

        assertStopped(run);
        assertGone(pidFile);
    }

    @Test
    void wrapperThatWaitsForItsKilledChildIsReportedAsStoppedNotAsMisconfigured() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        SparkSubmitLoadEngine engine = engine(WRAPPER_EXITING_0, pidFile, "5m");
        CompletableFuture<Object> run = startedLoad(engine, pidFile);

        engine.stopRuns(); // what the app's stop calls when its time runs out with the run in flight

        String message = assertStopped(run);
        for (String blame : List.of("LOAD_SUMMARY", "pipeline.spark", "exited with code")) {
            assertFalse(message.contains(blame), "a stop is not blamed on the configuration: " + message);
        }
        assertGone(pidFile);
    }

    @Test
    void aLoadAfterTheStopDoesNotStart() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        SparkSubmitLoadEngine engine = engine(WRAPPER, pidFile, "5m");
        engine.stopRuns();

        SparkJobFailedException e = assertThrows(SparkJobFailedException.class, () -> engine.load(request()));
        assertTrue(e.getMessage().contains("not started: the app is stopping"), e.getMessage());
        assertFalse(Files.exists(pidFile), "no job was started");
    }

    /** A load on another thread, once its job's child has written its pid. */
    private static CompletableFuture<Object> startedLoad(SparkSubmitLoadEngine engine, Path pidFile) {
        CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.load(request());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await("the fake spark-submit's child pid in " + pidFile).atMost(LIMIT)
                .pollInterval(Duration.ofMillis(50))
                .failFast("the load ended first", run::isDone)
                .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        return run;
    }

    /** The load failed naming the stop; its message. */
    private static String assertStopped(CompletableFuture<Object> run) {
        ExecutionException e = assertThrows(ExecutionException.class,
                                            () -> run.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
        Throwable failure = e.getCause().getCause();
        assertTrue(failure instanceof SparkJobFailedException, String.valueOf(e.getCause()));
        assertTrue(failure.getMessage().contains("was killed because the app is stopping"), failure.getMessage());
        return failure.getMessage();
    }

    private SparkSubmitLoadEngine engine(String script, Path pidFile, String timeout) throws Exception {
        Path fake = dir.resolve("spark-submit");
        Files.writeString(fake, String.format(script, pidFile));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> p = Map.of("pipeline.spark.sparkSubmit", fake.toString(),
                                       "pipeline.spark.stageInput", "false",
                                       "pipeline.spark.timeout", timeout);
        TableConfig table = new TableConfig(TableConfig.Catalog.HADOOP, dir.resolve("warehouse"), null, "data",
                                            "products", TableConfig.Mode.OVERWRITE, TableConfig.SchemaEvolution.NONE);
        Settings settings = new Settings(k -> Optional.ofNullable(p.get(k)));
        SparkConfig config = SparkConfig.from(settings, table);
        settings.validate();
        return new SparkSubmitLoadEngine(config, table, (S3Client) null);
    }

    private static LoadRequest request() {
        return new LoadRequest("run-1", "s3://bucket/data/products.parquet", TestParquet.productSchema(), 20);
    }

    private static void assertGone(Path pidFile) throws Exception {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Optional<ProcessHandle> child = ProcessHandle.of(pid);
        await("the end of the job's child process " + pid).atMost(LIMIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !child.map(ProcessHandle::isAlive).orElse(false));
    }
}
