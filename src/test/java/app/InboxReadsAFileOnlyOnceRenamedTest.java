package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * "Write, then rename": a CSV written in two parts, older than the read lock's minimum age in between, under a name
 * the include pattern does not match ({@code x.csv.tmp}, or the hidden {@code .x.csv}) is not read until it is
 * renamed, then loaded whole.
 */
class InboxReadsAFileOnlyOnceRenamedTest extends PipelineTestSupport {

    @Override
    protected java.util.Properties testProperties() {
        return fastInbox();
    }

    @Test
    void tmpSuffixIsIgnoredUntilRenamed() throws Exception {
        writeSlowlyThenRename("slow.csv.tmp", "slow.csv");
    }

    @Test
    void dotFileIsIgnoredUntilRenamed() throws Exception {
        writeSlowlyThenRename(".hidden.csv", "hidden.csv");
    }

    private void writeSlowlyThenRename(String writtenAs, String finalName) throws Exception {
        List<String> lines = Files.readAllLines(samplePath());
        Path file = Files.createDirectories(inbox()).resolve(writtenAs);
        Files.write(file, lines.subList(0, 10), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
        // a whole file dropped after it: once it is loaded, a poll has passed the first one by
        drop("later.csv", sampleCsvWithIdsFrom(100).getBytes(StandardCharsets.UTF_8));
        JsonNode later = awaitReportOfDrop("later.csv");

        assertEquals("SUCCEEDED", later.path("status").asText(), later.toString());
        assertEquals(List.of(later), reports(), "no run may start while the file has its temporary name");

        Files.write(file, lines.subList(10, lines.size()), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.move(file, inbox().resolve(finalName), StandardCopyOption.ATOMIC_MOVE);
        JsonNode report = awaitReportOfDrop(finalName);

        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals(20, report.path("rowsWritten").asLong(), report.toString());
        assertEquals(sampleRows(), asRows(readParquet(report.path("parquetUri").asText())));
        assertEquals(List.of(), filesLeftInInbox());
    }
}
