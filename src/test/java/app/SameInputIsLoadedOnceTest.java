package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.PipelineConfig;
import lake.CommitIdentity;
import lake.IcebergTables;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every commit records its input's SHA-256 and run; an input the table already holds ends SKIPPED naming the
 * snapshot and the run that loaded it, and the table keeps its rows, whatever the mode, unless
 * {@code pipeline.table.reloadSameInput} is set.
 */
class SameInputIsLoadedOnceTest {

    @Nested
    class Overwrite extends Runs {

        @Test
        void theSameFileDroppedAgainIsSkippedNamingTheSnapshot() throws Exception {
            byte[] csv = sampleCsv().getBytes(StandardCharsets.UTF_8);
            drop("products.csv", csv);
            JsonNode first = awaitReportOfDrop("products.csv");
            assertEquals("SUCCEEDED", first.get("status").asText(), first.toString());
            Snapshot loaded = table().currentSnapshot();
            Map<String, String> summary = loaded.summary();
            assertEquals(sha256(csv), summary.get(CommitIdentity.INPUT_SHA256));
            assertEquals(first.get("runId").asText(), summary.get(CommitIdentity.RUN_ID));
            assertEquals("file", summary.get(CommitIdentity.TRIGGER));
            assertEquals("products.csv", summary.get(CommitIdentity.SOURCE));

            drop("products-again.csv", csv);
            JsonNode second = awaitReportOfDrop("products-again.csv");
            assertEquals("SKIPPED", second.get("status").asText(), second.toString());
            assertEquals("already loaded in snapshot " + loaded.snapshotId() + " by run " + first.get("runId").asText()
                         + " (load ledger data.products_loads)", second.get("reason").asText());
            assertEquals(first.get("ledgerEntry"), second.get("ledgerEntry"), "both name the ledger's row of the load");
            assertEquals(loaded.snapshotId(), table().currentSnapshot().snapshotId(), "nothing was committed");
            assertTrue(Files.exists(inbox().resolve(".done").resolve("products-again.csv")));
        }
    }

    @Nested
    class Append extends Runs {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.table.mode", "append");
            return p;
        }

        @Test
        void anInputAppendedEarlierIsSkippedAfterOthers() throws Exception {
            byte[] a = sampleCsv().getBytes(StandardCharsets.UTF_8);
            drop("a.csv", a);
            JsonNode first = awaitReportOfDrop("a.csv");
            drop("b.csv", sampleCsvWithIdsFrom(100).getBytes(StandardCharsets.UTF_8));
            assertEquals("SUCCEEDED", awaitReportOfDrop("b.csv").get("status").asText());

            drop("a-again.csv", a);
            JsonNode again = awaitReportOfDrop("a-again.csv");
            assertEquals("SKIPPED", again.get("status").asText(), again.toString());
            assertTrue(again.get("reason").asText().endsWith(" by run " + first.get("runId").asText()
                                                            + " (load ledger data.products_loads)"), again.toString());
            assertEquals(40, rowsInTable());
        }
    }

    @Nested
    class QueryFailingAfterTheCommit extends Runs {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.table.mode", "append");
            p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
            return p;
        }

        @Test
        void theInputDroppedAgainIsNotLoadedTwice() throws Exception {
            // the query stage cannot write its results: it fails after the load committed
            Path blocked = Files.writeString(dataDir.resolve("results"), "a file where a folder should be");
            drop("products.csv", sampleCsv().getBytes(StandardCharsets.UTF_8));
            JsonNode first = awaitReportOfDrop("products.csv");
            assertEquals("SUCCEEDED", first.get("status").asText(), first.toString());
            assertEquals("FAILED", first.at("/query/status").asText(), first.toString());
            assertEquals(20, rowsInTable(), "the load committed before the query failed");

            // fixed, the same input arrives again
            Files.delete(blocked);
            Files.move(inbox().resolve(".done").resolve("products.csv"), inbox().resolve("again.csv"));
            JsonNode again = awaitReportOfDrop("again.csv");
            assertEquals("SKIPPED", again.get("status").asText(), again.toString());
            assertEquals(20, rowsInTable());
        }
    }

    @Nested
    class ReloadSameInput extends Runs {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.table.mode", "append");
            p.setProperty("pipeline.table.reloadSameInput", "true");
            return p;
        }

        @Test
        void theSameFileIsLoadedAgainWhenAskedTo() throws Exception {
            byte[] csv = sampleCsv().getBytes(StandardCharsets.UTF_8);
            drop("products.csv", csv);
            awaitReportOfDrop("products.csv");
            drop("products-again.csv", csv);
            JsonNode again = awaitReportOfDrop("products-again.csv");
            assertEquals("SUCCEEDED", again.get("status").asText(), again.toString());
            assertEquals(40, again.path("query").get("rows").asLong());
            assertEquals(40, rowsInTable());
        }
    }

    abstract static class Runs extends PipelineTestSupport {

        @Override
        protected Properties testProperties() {
            return fastInbox();
        }

        Table table() {
            return IcebergTables.load(context.getRegistry().findSingleByType(PipelineConfig.class).table());
        }

        long rowsInTable() {
            return Long.parseLong(table().currentSnapshot().summary().get("total-records"));
        }
    }
}
