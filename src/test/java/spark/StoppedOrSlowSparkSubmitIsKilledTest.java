package spark;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
 * A spark-submit that outlives pipeline.spark.timeout, or the app stopping while one runs, kills the whole process
 * tree and fails the run. A shell script stands in for spark-submit: only the process handling is under test.
 */
class StoppedOrSlowSparkSubmitIsKilledTest {

    @TempDir
    Path dir;

    @Test
    void timeoutKillsTheProcessTree() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        SparkSubmitLoadEngine engine = engine(pidFile, "1s");

        SparkJobFailedException e = assertThrows(SparkJobFailedException.class, () -> engine.load(request()));
        assertTrue(e.getMessage().contains("did not finish within pipeline.spark.timeout=PT1S"), e.getMessage());
        assertTrue(e.getMessage().contains("fake spark-submit sleeping"), e.getMessage());
        assertGone(pidFile);
    }

    @Test
    void closingTheEngineKillsARunningJob() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        SparkSubmitLoadEngine engine = engine(pidFile, "5m");
        CompletableFuture<Object> run = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.load(request());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await("the fake spark-submit's child pid in " + pidFile).atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        engine.close();

        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(10, TimeUnit.SECONDS));
        Throwable failure = e.getCause().getCause();
        assertTrue(failure instanceof SparkJobFailedException, String.valueOf(e.getCause()));
        assertTrue(failure.getMessage().contains("was killed (exit code 137) because the app is stopping"),
                   failure.getMessage());
        assertGone(pidFile);
    }

    private SparkSubmitLoadEngine engine(Path pidFile, String timeout) throws Exception {
        Path fake = dir.resolve("spark-submit");
        Files.writeString(fake, "#!/bin/sh\necho 'fake spark-submit sleeping' >&2\nsleep 60 &\necho $! > " + pidFile
                                + "\nwait\n");
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
        await("the end of the job's child process " + pid).atMost(Duration.ofMillis(2500))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !child.map(ProcessHandle::isAlive).orElse(false));
    }
}
