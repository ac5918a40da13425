package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code pipeline.inbox.doneMarker=true}, a CSV written in two parts with a 5 s pause (longer than the read
 * lock's minimum age) is not read until its {@code .done} marker appears, then loaded whole; the marker goes with it.
 */
class InboxWaitsForTheDoneMarkerTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = fastInbox();
        p.setProperty("pipeline.inbox.doneMarker", "true");
        return p;
    }

    @Test
    void halfWrittenFileWaitsForItsMarkerThenLoadsEveryRow() throws Exception {
        List<String> lines = Files.readAllLines(samplePath());
        Path file = Files.createDirectories(inbox()).resolve("slow.csv");
        Files.write(file, lines.subList(0, 10), StandardCharsets.UTF_8);
        await("no run of slow.csv before its .done marker").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
                .untilAsserted(() -> assertEquals(List.of(), reports(), "no run may start before the marker"));
        assertEquals(List.of("slow.csv"), filesLeftInInbox());

        Files.write(file, lines.subList(10, lines.size()), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.createFile(inbox().resolve("slow.csv.done"));
        JsonNode report = awaitReportOfDrop("slow.csv");

        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals(20, report.path("rowsWritten").asLong(), report.toString());
        assertEquals(sampleRows(), asRows(readParquet(report.path("parquetUri").asText())));
        assertTrue(Files.exists(inbox().resolve(".done").resolve("slow.csv")));
        assertFalse(Files.exists(inbox().resolve("slow.csv.done")), "the marker is removed with its file");
        assertEquals(List.of(), filesLeftInInbox());
    }
}
