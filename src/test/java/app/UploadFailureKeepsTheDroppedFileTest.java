package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import s3.EmbeddedS3Startup;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** S3 unreachable: the upload is retried, then the run FAILS in upload and the dropped file goes to .failed/. */
class UploadFailureKeepsTheDroppedFileTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = fastInbox();
        p.setProperty("pipeline.errors.maximumRedeliveries", "1");
        p.setProperty("pipeline.errors.redeliveryDelay", "50ms");
        return p;
    }

    @Test
    void unreachableS3FailsTheRunInUploadAndKeepsTheInput() throws Exception {
        context.hasService(EmbeddedS3Startup.class).server().stop();
        byte[] csv = Files.readAllBytes(samplePath());
        drop("products.csv", csv);

        JsonNode report = awaitReportOfDrop("products.csv", Duration.ofSeconds(60));

        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertEquals("upload", report.path("error").path("stage").asText(), report.toString());
        assertEquals(20, report.path("rowsWritten").asLong(), "converted before the upload failed: " + report);
        Path failed = inbox().resolve(".failed").resolve("products.csv");
        assertTrue(Files.exists(failed), "moved to " + failed);
        JsonNode sidecar = JSON.readTree(failed.resolveSibling("products.csv.error.json").toFile());
        assertEquals("upload", sidecar.path("stage").asText(), sidecar.toString());
        assertEquals(report.path("runId").asText(), sidecar.path("runId").asText(), sidecar.toString());
        assertEquals(List.of(), filesLeftInInbox());
        assertTrue(!Files.exists(dataDir.resolve("work")) || Files.list(dataDir.resolve("work")).findAny().isEmpty(),
                "the run's work files are cleared");
    }
}
