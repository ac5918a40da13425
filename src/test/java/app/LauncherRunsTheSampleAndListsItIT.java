package app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged app through the README's launcher, {@code bin/s3tables-pipeline}: a one-shot run of the bundled sample
 * ends SUCCEEDED with its 20 rows on the AppCDS archive the build made (the JVM warns of none that does not match),
 * and {@code runs} after the options lists that run.
 */
class LauncherRunsTheSampleAndListsItIT {

    private static final Path LAUNCHER = Path.of("bin", "s3tables-pipeline").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theSampleRunsAndTheRunsCommandListsIt() throws Exception {
        Path data = dir.resolve("data");
        String once = launch(List.of("-Dpipeline.once=samples/products.csv", "-Dpipeline.data.dir=" + data), 0);
        assertTrue(once.contains("20 rows"), once);
        assertFalse(once.contains("[cds]"), "the archive matches the jar: " + once);

        List<Path> reports;
        try (var files = Files.list(data.resolve("runs"))) {
            reports = files.filter(f -> f.toString().endsWith(".json")).toList();
        }
        assertEquals(1, reports.size(), String.valueOf(reports));
        JsonNode report = new ObjectMapper().readTree(reports.get(0).toFile());
        assertEquals("SUCCEEDED", report.get("status").asText());

        String runs = launch(List.of("-Dpipeline.data.dir=" + data, "runs", "--last", "5"), 0);
        assertTrue(runs.contains(report.get("runId").asText()) && runs.contains("SUCCEEDED"), runs);

        String usage = launch(List.of("-Dpipeline.data.dir=" + data, "runs", "--bogus"), 2);
        assertTrue(usage.contains("unexpected argument --bogus"), usage);
    }

    /** Runs the launcher with {@code args}; returns its output (stdout and stderr), the exit code checked. */
    private String launch(List<String> args, int exitCode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(args);
        Path output = Files.createTempFile(dir, "launcher", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within 120 s: " + Files.readString(output));
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(exitCode, process.exitValue(), command + " exit code; output: " + text);
        return text;
    }
}
