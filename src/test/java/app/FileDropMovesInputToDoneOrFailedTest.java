package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        drop("empty.csv", new byte[0]);
        Thread.sleep(500); // a pause, not a wait: the empty file is in the inbox for two polls before the next comes
        drop("products.csv", Files.readAllBytes(samplePath()));

        // a few polls of 200 ms are plenty; Camel's default read-lock timeout would be 10 s
        JsonNode good = awaitReportOfDrop("products.csv", Duration.ofSeconds(5));
        JsonNode empty = awaitReportOfDrop("empty.csv", Duration.ofSeconds(5));

        assertEquals("SUCCEEDED", good.path("status").asText(), good.toString());
        assertEquals("FAILED", empty.path("status").asText(), empty.toString());
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
                && !firstRun.path("runId").asText().equals(report.path("runId").asText()), Duration.ofSeconds(30));

        assertEquals("SUCCEEDED", secondRun.path("status").asText(), secondRun.toString());
        assertEquals(rowsOf(second), asRows(readParquet(secondRun.path("parquetUri").asText())));
        Path done = inbox().resolve(".done");
        assertEquals(first, Files.readString(done.resolve("daily.csv"), StandardCharsets.UTF_8));
        assertEquals(second, Files.readString(done.resolve("daily.csv." + secondRun.path("runId").asText()),
                StandardCharsets.UTF_8));
        assertEquals(List.of(), filesLeftInInbox());
    }
}
