package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code pipeline.inbox.doneMarker=true}, a CSV written in two parts, older than the read lock's minimum age in
 * between, is not read until its {@code .done} marker appears, then loaded whole; the marker goes with it.
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
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
        // a whole file and its marker, after slow.csv in the inbox's order: once loaded, a poll has passed slow.csv by
        drop("later.csv", sampleCsvWithIdsFrom(100).getBytes(StandardCharsets.UTF_8));
        Files.createFile(inbox().resolve("later.csv.done"));
        JsonNode later = awaitReportOfDrop("later.csv");

        assertEquals("SUCCEEDED", later.path("status").asText(), later.toString());
        assertEquals(List.of(later), reports(), "no run may start before the marker");
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
