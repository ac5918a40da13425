package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ApplicationProcess;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second process on a data dir in use exits 2 naming the process that holds it; once that process is gone, even
 * killed with no chance to clean up, the data dir is free again.
 */
class OneProcessPerDataDirTest {

    @TempDir
    Path dir;

    private ApplicationProcess.Running daemon;

    @AfterEach
    void killDaemon() throws InterruptedException {
        if (daemon != null) {
            daemon.kill();
        }
    }

    @Test
    void aSecondProcessIsRefusedUntilTheFirstIsGone() throws Exception {
        Path data = dir.resolve("data");
        daemon = ApplicationProcess.start(data, List.of(), Map.of());
        long pid = daemon.process().pid();
        Path lock = data.resolve(".lock");
        await("the daemon holding " + lock).atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(lock)
                        && Files.readString(lock, StandardCharsets.UTF_8).contains("process " + pid + " "));

        ApplicationProcess.Result second = ApplicationProcess.run(data,
                List.of("-Dpipeline.once=" + Path.of("samples/products.csv").toAbsolutePath()), Map.of(),
                Duration.ofSeconds(60));
        assertEquals(2, second.exitCode(), second.output());
        assertTrue(second.stderr().contains("pipeline.data.dir " + data.toAbsolutePath() + " is in use by"
                        + " s3tables-pipeline process " + pid + " started at "), second.output());

        daemon.kill();
        ApplicationProcess.Result after = ApplicationProcess.run(data,
                List.of("-Dpipeline.once=" + Path.of("samples/products.csv").toAbsolutePath()), Map.of(),
                Duration.ofSeconds(120));
        assertEquals(0, after.exitCode(), after.output());
    }
}
