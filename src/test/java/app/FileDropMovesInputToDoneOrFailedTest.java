package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

/** A dropped CSV is loaded and moved to .done/, or rejected and moved to .failed/ with its error sidecar. */
class FileDropMovesInputToDoneOrFailedTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        return fastInbox();
    }

    @Test
    void goodCsvIsLoadedAndMovedToDone() throws Exception {
        byte[] csv = Files.readAllBytes(samplePath());
        drop("products-2024-06.csv", csv);

        JsonNode report = awaitReportOfDrop("products-2024-06.csv");

        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals(csv.length, report.path("bytesRead").asLong(), report.toString());
        assertEquals(20, report.path("rowsRead").asLong(), report.toString());
        assertEquals(20, report.path("rowsWritten").asLong(), report.toString());
        assertEquals(sampleRows(), asRows(readParquet(report.path("parquetUri").asText())));
        Path done = inbox().resolve(".done").resolve("products-2024-06.csv");
        assertTrue(Files.exists(done), "moved to " + done);
        assertEquals(sampleCsv(), Files.readString(done, StandardCharsets.UTF_8));
        assertFalse(Files.exists(inbox().resolve(".failed")), "nothing failed");
        assertEquals(List.of(), filesLeftInInbox());
    }

    @Test
    void badCsvIsMovedToFailedWithASidecarNamingStageReasonAndRun() throws Exception {
        String csv = "product_id,product_name,product_category,brand\n1,Lamp,Home,BenQ\n2x,Mat,Sports,Manduka\n";
        drop("products-bad.csv", csv.getBytes(StandardCharsets.UTF_8));

        JsonNode report = awaitReportOfDrop("products-bad.csv");

        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertEquals("convert", report.path("error").path("stage").asText(), report.toString());
        Path failed = inbox().resolve(".failed").resolve("products-bad.csv");
        assertTrue(Files.exists(failed), "moved to " + failed);
        assertEquals(csv, Files.readString(failed, StandardCharsets.UTF_8));
        JsonNode sidecar = JSON.readTree(failed.resolveSibling("products-bad.csv.error.json").toFile());
        assertEquals("convert", sidecar.path("stage").asText(), sidecar.toString());
        assertEquals(report.path("runId").asText(), sidecar.path("runId").asText(), sidecar.toString());
        String reason = sidecar.path("reason").asText();
        assertTrue(reason.contains("line 3") && reason.contains("product_id") && reason.contains("'2x'"), reason);
        assertFalse(Files.exists(inbox().resolve(".done")), "nothing succeeded");
        assertEquals(List.of(), filesLeftInInbox());
        assertTrue(s3().listObjectsV2(b -> b.bucket("s3-general-purpose-ecommerce")).contents().isEmpty(),
                "a failed run uploads nothing");
    }

    @Test
    void emptyFileIsRejectedWithoutHoldingUpTheFilesDroppedAfterIt() throws Exception {
        // both wait in the inbox together, the empty file first in line (the inbox reads the oldest first)
        Path staging = Files.createDirectories(dataDir.resolve("staging"));
        Path empty = Files.write(staging.resolve("empty.csv"), new byte[0]);
        Files.setLastModifiedTime(empty, FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
        Files.move(empty, Files.createDirectories(inbox()).resolve("empty.csv"), StandardCopyOption.ATOMIC_MOVE);
        drop("products.csv", Files.readAllBytes(samplePath()));

        // an empty file that Camel's read lock waited on (its default minimum length is 1 byte) would never end
        JsonNode good = awaitReportOfDrop("products.csv");
        JsonNode emptyRun = awaitReportOfDrop("empty.csv");

        assertEquals("SUCCEEDED", good.path("status").asText(), good.toString());
        assertEquals("FAILED", emptyRun.path("status").asText(), emptyRun.toString());
        assertTrue(!Instant.parse(emptyRun.path("startedAt").asText()).isAfter(
                Instant.parse(good.path("startedAt").asText())),
                "the empty file was read in its turn, first: " + emptyRun + " " + good);
        assertTrue(Files.exists(inbox().resolve(".failed").resolve("empty.csv.error.json")));
        assertEquals(List.of(), filesLeftInInbox());
    }

    @Test
    void secondFileOfTheSameNameIsKeptNextToTheFirst() throws Exception {
        String first = "product_id,product_name,product_category,brand\n1,Lamp,Home,BenQ\n";
        String second = "product_id,product_name,product_category,brand\n2,Mat,Sports,Manduka\n";
        drop("daily.csv", first.getBytes(StandardCharsets.UTF_8));
        JsonNode firstRun = awaitReportOfDrop("daily.csv");
        drop("daily.csv", second.getBytes(StandardCharsets.UTF_8));
        JsonNode secondRun = awaitReport(report -> "daily.csv".equals(report.path("source").asText())
                && !firstRun.path("runId").asText().equals(report.path("runId").asText()), RUN_LIMIT);

        assertEquals("SUCCEEDED", secondRun.path("status").asText(), secondRun.toString());
        assertEquals(rowsOf(second), asRows(readParquet(secondRun.path("parquetUri").asText())));
        Path done = inbox().resolve(".done");
        assertEquals(first, Files.readString(done.resolve("daily.csv"), StandardCharsets.UTF_8));
        assertEquals(second, Files.readString(done.resolve("daily.csv." + secondRun.path("runId").asText()),
                StandardCharsets.UTF_8));
        assertEquals(List.of(), filesLeftInInbox());
    }
}
