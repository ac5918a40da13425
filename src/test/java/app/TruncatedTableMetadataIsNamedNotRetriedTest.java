package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import support.ApplicationProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real app, on a table whose current metadata file was cut to nothing: the run fails at once, naming the file,
 * instead of being redelivered three times and reported as "No content to map" alone.
 */
class TruncatedTableMetadataIsNamedNotRetriedTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void theFileIsNamedAndTheRunNotRetried() throws Exception {
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")),
                getClass().getSimpleName() + "-").toAbsolutePath();
        Path dataDir = root.resolve("data");
        List<String> once = List.of("-Dpipeline.once=" + Path.of("samples/products.csv").toAbsolutePath(),
                "-Dpipeline.table.reloadSameInput=true");
        ApplicationProcess.Result first = ApplicationProcess.run(dataDir, once, Map.of(), TIMEOUT);
        assertEquals(0, first.exitCode(), first.output());
        Path metadata = dataDir.resolve("warehouse/data/products/metadata");
        Path current = metadata.resolve("v" + Files.readString(metadata.resolve("version-hint.text")).strip()
                                        + ".metadata.json");
        Files.write(current, new byte[0]);
        Files.deleteIfExists(metadata.resolve("." + current.getFileName() + ".crc"));

        ApplicationProcess.Result second = ApplicationProcess.run(dataDir, once, Map.of(), TIMEOUT);

        assertEquals(1, second.exitCode(), second.output());
        JsonNode failed = failedReport(dataDir);
        String message = failed.path("error").path("message").asText();
        assertTrue(message.contains(current.toString()) && message.contains("No content to map"), message);
        assertFalse(second.stdout().contains("On delivery attempt: 1"), "a parse error is not redelivered:\n"
                                                                        + second.output());
    }

    private static JsonNode failedReport(Path dataDir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(dataDir.resolve("runs"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode report = json.readTree(file.toFile());
                if ("FAILED".equals(report.path("status").asText())) {
                    return report;
                }
            }
        }
        throw new AssertionError("no FAILED report in " + dataDir.resolve("runs"));
    }
}
