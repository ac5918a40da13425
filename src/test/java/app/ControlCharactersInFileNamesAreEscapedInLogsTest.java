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
 * The real application, given a dropped file whose name holds an ANSI escape and a tab followed by a forged
 * {@code source=} field, refuses it and logs the name escaped: no raw control character reaches the log, the summary
 * line has one {@code source=} field, and the file keeps its name in {@code .failed/}.
 */
class ControlCharactersInFileNamesAreEscapedInLogsTest {

    @Test
    void escapeAndTabAreWrittenAsEscapes() throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target", "test-data"))
                .resolve("ControlCharactersInFileNames-" + System.nanoTime()).toAbsolutePath();
        String name = "evil\u001b[31m\tsource=forged.csv";
        Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
        Files.copy(Path.of("samples/products.csv"), inbox.resolve(name));

        ApplicationProcess.Result result = ApplicationProcess.run(dataDir,
                List.of("-Dpipeline.inbox.pollInterval=200ms", "-Dpipeline.inbox.readLockMinAge=100ms",
                        // the one file's run, then the app stops
                        "-Dcamel.main.durationMaxMessages=1"),
                Map.of(), Duration.ofSeconds(120));

        String logs = result.stdout() + result.stderr();
        assertEquals(0, result.exitCode(), result.output());
        assertFalse(logs.contains("\u001b"), "a raw ESC reached the log:\n" + logs);
        assertFalse(logs.contains("\t"), "a raw TAB reached the log:\n" + logs);
        String summary = logs.lines().filter(line -> line.contains(" FAILED trigger=file ")).findFirst()
                .orElseThrow(() -> new AssertionError("no summary line:\n" + logs));
        assertTrue(summary.contains(" source=evil\\u001b[31m\\tsource=forged.csv bytes="), summary);
        assertTrue(summary.contains("has control characters in its name"), summary);
        assertTrue(Files.exists(inbox.resolve(".failed").resolve(name)), "the file itself keeps its name");
    }
}
