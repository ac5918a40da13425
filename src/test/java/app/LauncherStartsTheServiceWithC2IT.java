package app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged app started as the long-running service through {@code bin/s3tables-pipeline} (no once input): its JVM,
 * as the app reads it from the JVM at start, compiles with C1 and C2, collects with the parallel collector, hashes with
 * the JDK's digests, and starts on the build's AppCDS archive without a warning; it stops on SIGTERM.
 */
class LauncherStartsTheServiceWithC2IT {

    private static final Path LAUNCHER = Path.of("bin", "s3tables-pipeline").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theServiceRunsWithTieredCompilation() throws Exception {
        Path output = dir.resolve("service.log");
        Process service = new ProcessBuilder(List.of(LAUNCHER.toString(), "-Dpipeline.data.dir=" + dir.resolve("data"),
                "-Dcamel.management.port=0")).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            await("the service's JVM line").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> read(output).contains("JVM of a long-running process") || !service.isAlive());
            String text = read(output);
            assertTrue(service.isAlive(), "the service ended: " + text);
            String jvm = text.lines().filter(line -> line.contains("JVM of a long-running process")).findFirst()
                    .orElseThrow();
            assertTrue(jvm.contains("compilers C1 and C2 (tiered)"), jvm);
            assertTrue(jvm.contains("ParallelGC"), jvm);
            assertTrue(jvm.contains("digests the JDK's"), jvm);
            assertFalse(text.contains("[cds]"), "the archive serves the service too: " + text);
            assertFalse(text.contains("runs with C1 alone"), text);
        } finally {
            service.destroy();
            if (!service.waitFor(120, TimeUnit.SECONDS)) {
                service.destroyForcibly();
                throw new AssertionError("the service did not stop within 120 s of SIGTERM: " + read(output));
            }
        }
    }

    private static String read(Path output) throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
