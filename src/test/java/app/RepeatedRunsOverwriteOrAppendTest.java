package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two inputs dropped one after the other: overwrite mode keeps the second's 20 rows, append mode ends with 40. */
class RepeatedRunsOverwriteOrAppendTest {

    /** Default mode: like the walkthrough's createOrReplace, the second run replaces the first. */
    @Nested
    class Overwrite extends Runs {

        @Test
        void twoRunsLeaveTwentyRows() throws Exception {
            List<JsonNode> reports = dropTwice();
            for (JsonNode report : reports) {
                assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
                assertEquals(20, report.path("query").get("rows").asLong());
            }
            assertNotEquals(reports.get(0).get("snapshotId").asLong(), reports.get(1).get("snapshotId").asLong());
        }
    }

    /** Append mode: the second run adds its 20 rows to the first run's. */
    @Nested
    class Append extends Runs {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.table.mode", "append");
            return p;
        }

        @Test
        void twoRunsLeaveFortyRows() throws Exception {
            List<JsonNode> reports = dropTwice();
            assertEquals("SUCCEEDED", reports.get(1).get("status").asText(), reports.get(1).toString());
            assertEquals(20, reports.get(0).path("query").get("rows").asLong());
            assertEquals(40, reports.get(1).path("query").get("rows").asLong());
            Path results = Path.of(reports.get(1).path("query").path("resultsFile").asText());
            assertEquals(41, Files.readAllLines(results).size());
        }
    }

    abstract static class Runs extends PipelineTestSupport {

        @Override
        protected Properties testProperties() {
            Properties p = new Properties();
            p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
            p.setProperty("pipeline.inbox.pollInterval", "200ms");
            p.setProperty("pipeline.inbox.readLockMinAge", "100ms");
            return p;
        }

        List<JsonNode> dropTwice() throws Exception {
            drop("first.csv", sampleCsv().getBytes(StandardCharsets.UTF_8));
            awaitReports(1, RUN_LIMIT);
            drop("second.csv", sampleCsvWithIdsFrom(100).getBytes(StandardCharsets.UTF_8));
            List<JsonNode> reports = awaitReports(2, RUN_LIMIT);
            assertTrue(Files.exists(inbox().resolve(".done").resolve("second.csv")));
            return reports;
        }
    }
}
