package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A symbolic link in the inbox pointing outside the data folder is not followed: the run fails naming the link and
 * the property that would allow it, the link goes to .failed/, the file it points to is untouched and nothing is loaded.
 */
class InboxSymlinkIsRefusedTest extends PipelineTestSupport {

    @Override
    protected java.util.Properties testProperties() {
        return fastInbox();
    }

    @Test
    void linkOutsideTheDataFolderIsRefused() throws Exception {
        Path outside = Files.createTempDirectory("outside-data-").resolve("secret-products.csv");
        Files.copy(samplePath(), outside);
        Files.createDirectories(inbox());
        Files.createSymbolicLink(inbox().resolve("linked.csv"), outside);

        JsonNode report = awaitReportOfDrop("linked.csv");

        assertEquals("FAILED", report.path("status").asText(), report.toString());
        String message = report.path("error").path("message").asText();
        assertTrue(message.contains("symbolic link") && message.contains("pipeline.inbox.followLinks"), message);
        assertFalse(report.has("parquetUri"), "nothing may be converted or uploaded: " + report);
        Path kept = inbox().resolve(".failed").resolve("linked.csv");
        assertTrue(Files.isSymbolicLink(kept), "the link itself is kept aside in .failed/");
        assertEquals(Files.readString(samplePath()), Files.readString(outside), "the target is untouched");
        assertEquals(List.of(), filesLeftInInbox());
    }
}
