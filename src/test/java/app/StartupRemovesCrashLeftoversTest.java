package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import support.ApplicationProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real application, started on a data folder that a killed run left dirty, removes the work files, the partial
 * report and state file and the temp load file of the dead process, keeps what is not a leftover (a finished report,
 * a running process's load file), says so in one log line, then runs as usual.
 */
class StartupRemovesCrashLeftoversTest {

    @Test
    void leftoversOfAKilledRunAreRemovedOnTheNextStart() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "test-data"))
                .resolve("StartupRemovesCrashLeftovers-" + System.nanoTime()).toAbsolutePath();
        Path dataDir = root.resolve("data");
        Path tempDir = Files.createDirectories(root.resolve("tmp"));
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        long alive = ProcessHandle.current().pid();
        List<Path> leftovers = List.of(
                write(dataDir.resolve("work/convert-5f0c.parquet")),
                write(dataDir.resolve("work/20261201-101010-abcd/download.csv")),
                write(dataDir.resolve("runs/20261201-101010-abcd.json.partial")),
                write(dataDir.resolve("state/http-source.properties.tmp")),
                write(tempDir.resolve("load-" + dead.pid() + "-123456.parquet")));
        List<Path> kept = List.of(
                write(dataDir.resolve("runs/20261130-090909-dcba.json")),
                write(tempDir.resolve("load-" + alive + "-654321.parquet")),
                write(tempDir.resolve("load-notours.parquet")));

        ApplicationProcess.Result result = ApplicationProcess.run(dataDir,
                List.of("-Djava.io.tmpdir=" + tempDir, "-Dpipeline.once=" + Path.of("samples/products.csv").toAbsolutePath()),
                Map.of(), Duration.ofSeconds(120));

        assertEquals(0, result.exitCode(), result.output());
        for (Path leftover : leftovers) {
            assertFalse(Files.exists(leftover), leftover + " must be removed");
        }
        for (Path file : kept) {
            assertTrue(Files.exists(file), file + " must be kept");
        }
        List<String> lines = result.stdout().lines().filter(line -> line.contains("leftover")).toList();
        assertEquals(1, lines.size(), result.output());
        assertTrue(lines.get(0).contains("Removed 5 leftover(s)") && lines.get(0).contains("convert-5f0c.parquet")
                   && lines.get(0).contains("load-" + dead.pid() + "-123456.parquet"), lines.get(0));
        assertFalse(Files.exists(dataDir.resolve("work/20261201-101010-abcd")), "the run folder goes too");
    }

    private static Path write(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "partial");
    }
}
