package app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * The real application logs as its user configures it: a Logback file of one's own
 * ({@code -Dlogback.configurationFile}) that includes the app's defaults, quiets Camel and adds a rolling JSON file
 * gets both, {@code logging.level.*} still applies over it, and every line of the run, on the console and in the
 * file, carries its dataset and run id; with the app's own file, {@code logging.file} adds a text file alike. A
 * misspelt level is named and ignored; a format that is neither text nor json stops the start-up, named.
 */
class LoggingConfigurationFileIsHonouredTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ownFileSetsLevelsAndAddsAJsonFileWhoseRunLinesCarryTheRunId() throws Exception {
        Path dataDir = dataDir("own-file");
        Path logs = Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + "-logs"));
        Path configuration = logs.resolve("logback.xml");
        Files.writeString(configuration, """
                <configuration>
                    <include resource="logback-defaults.xml"/>
                    <appender name="JSON_FILE" class="ch.qos.logback.core.rolling.RollingFileAppender">
                        <file>%1$s/pipeline.json</file>
                        <rollingPolicy class="ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy">
                            <fileNamePattern>%1$s/pipeline.%%d{yyyy-MM-dd}.%%i.json.gz</fileNamePattern>
                            <maxFileSize>50MB</maxFileSize>
                            <maxHistory>14</maxHistory>
                        </rollingPolicy>
                        <encoder class="logging.MaskingEncoder">
                            <format>json</format>
                        </encoder>
                    </appender>
                    <logger name="org.apache.camel" level="WARN"/>
                    <root level="INFO">
                        <appender-ref ref="CONSOLE"/>
                        <appender-ref ref="JSON_FILE"/>
                    </root>
                </configuration>
                """.formatted(logs));

        ApplicationProcess.Result result = ApplicationProcess.run(dataDir, List.of(
                "-Dlogback.configurationFile=" + configuration,
                "-Dlogging.level.query=WARN",
                "-Dpipeline.once=samples/products.csv"), Map.of(), Duration.ofSeconds(180));

        assertEquals(0, result.exitCode(), result.output());
        String runId = onlyReport(dataDir).path("runId").asText();
        String console = result.stdout();
        assertFalse(console.contains("Apache Camel (Main)"), "the file's level for org.apache.camel:\n" + console);
        assertFalse(console.contains("Query over data.products"), "logging.level.query over the file:\n" + console);
        assertTrue(console.contains("[products " + runId + "] run " + runId + " SUCCEEDED"), console);

        List<JsonNode> lines = jsonLines(logs.resolve("pipeline.json"));
        List<JsonNode> ofTheRun = lines.stream().filter(line -> runId.equals(line.path("mdc").path("runId").asText()))
                .toList();
        assertTrue(ofTheRun.stream().anyMatch(line -> line.path("message").asText().startsWith("Converted 20 rows")),
                lines.toString());
        assertTrue(ofTheRun.stream().anyMatch(line -> line.path("message").asText().startsWith("Loaded 20 rows")),
                lines.toString());
        assertTrue(ofTheRun.stream().allMatch(line -> "products".equals(line.path("mdc").path("dataset").asText())));
        JsonNode summary = lines.stream().filter(line -> line.path("message").asText().contains(" SUCCEEDED "))
                .findFirst().orElseThrow(() -> new AssertionError("no summary line in " + lines));
        assertEquals(runId, summary.path("mdc").path("runId").asText(), summary.toString());
        assertTrue(lines.stream().noneMatch(line -> line.path("loggerName").asText().startsWith("org.apache.camel")
                                                  && line.path("level").asText().equals("INFO")), lines.toString());
    }

    @Test
    void loggingFileAddsARollingTextFileToTheAppsOwnConfiguration() throws Exception {
        Path dataDir = dataDir("logging-file");
        Path logFile = dataDir.resolveSibling(dataDir.getFileName() + "-logs").resolve("app.log");

        ApplicationProcess.Result result = ApplicationProcess.run(dataDir, List.of(
                "-Dlogging.file=" + logFile,
                "-Dlogging.level.org.apache.iceberg=LOUD",
                "-Dpipeline.once=samples/products.csv"), Map.of(), Duration.ofSeconds(180));

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("logging.level.org.apache.iceberg=LOUD: not a level"), result.output());
        String runId = onlyReport(dataDir).path("runId").asText();
        String file = Files.readString(logFile);
        assertTrue(file.contains("Apache Camel (Main)"), file);
        List<String> runLines = file.lines().filter(line -> line.contains(" [products " + runId + "] ")).toList();
        assertTrue(runLines.stream().anyMatch(line -> line.contains("Converted 20 rows")), file);
        assertTrue(runLines.stream().anyMatch(line -> line.contains("run " + runId + " SUCCEEDED")), file);
        assertTrue(result.stdout().contains("[products " + runId + "] run " + runId + " SUCCEEDED"), result.stdout());
    }

    @Test
    void aFormatThatIsNeitherTextNorJsonIsRefused() throws Exception {
        ApplicationProcess.Result result = ApplicationProcess.run(dataDir("bad-format"), List.of(
                "-Dlogging.format=xml", "-Dpipeline.once=samples/products.csv"), Map.of(), Duration.ofSeconds(120));

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("logging.format must be text or json, was xml"), result.output());
    }

    private static Path dataDir(String name) throws IOException {
        return Files.createDirectories(Path.of("target", "test-data"))
                .resolve("LoggingConfigurationFileIsHonouredTest-" + name + "-" + System.nanoTime()).toAbsolutePath();
    }

    private static JsonNode onlyReport(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("runs"))) {
            List<Path> reports = files.filter(file -> file.toString().endsWith(".json")).toList();
            assertEquals(1, reports.size(), reports.toString());
            return JSON.readTree(reports.get(0).toFile());
        }
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }
}
