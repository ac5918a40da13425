package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.PipelineConfig;
import lake.CommitIdentity;
import lake.IcebergTables;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.Test;
import support.LocalSpark;
import support.PipelineTestSupport;
import support.PyIceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With pipeline.engine=spark-submit a merge is the Spark job's own {@code MERGE INTO}: v1's 1,000 rows, then v2 (100
 * changed, 50 new) leave the same 1,050 rows as the embedded engine's merge, read alike by the app's DuckDB query and
 * pyiceberg, in one merge-on-read commit (position deletes: the table the job made says write.merge.mode=merge-on-read)
 * that records the input and is reconciled by the query stage; v2 again is
 * SKIPPED; two rows with one key fail the run naming both lines.
 */
class SparkSubmitEngineMergesOnTheKeyTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = LocalSpark.engineProperties();
        p.putAll(fastInbox());
        p.setProperty("pipeline.table.mode", "merge");
        p.setProperty("pipeline.table.key", "product_id");
        p.setProperty("pipeline.query.sql", "SELECT * FROM \"data\".\"products\" ORDER BY product_id");
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        return p;
    }

    @Test
    void sparksMergeLeavesTheRowsTheEmbeddedEngineDoes() throws Exception {
        run("v1.csv", MergeModeUpsertsOnTheKeyTest.products(1, 1000, "Acme"));

        JsonNode v2 = run("v2.csv", MergeModeUpsertsOnTheKeyTest.products(901, 150, "Zeta"));

        assertEquals(List.of(50L, 100L, 0L), List.of(v2.at("/merge/inserted").asLong(),
                v2.at("/merge/updated").asLong(), v2.at("/merge/deleted").asLong()), v2.toString());
        List<List<String>> expected = new ArrayList<>(rowsOf(MergeModeUpsertsOnTheKeyTest.products(1, 900, "Acme")));
        expected.addAll(rowsOf(MergeModeUpsertsOnTheKeyTest.products(901, 150, "Zeta")));
        assertEquals(expected, resultRows(v2), "the app's DuckDB query");
        assertEquals(expected, PyIceberg.rows(dataDir.resolve("warehouse"), "data", "products"), "pyiceberg");
        Snapshot merged = IcebergTables.load(context.getRegistry().findSingleByType(PipelineConfig.class).table())
                .currentSnapshot();
        assertEquals("merge", merged.summary().get(CommitIdentity.MODE));
        assertEquals(v2.get("runId").asText(), merged.summary().get(CommitIdentity.RUN_ID));
        assertEquals("100", merged.summary().get("total-position-deletes"), "merge-on-read: v1's 100 rows deleted");

        drop("v2-again.csv", MergeModeUpsertsOnTheKeyTest.products(901, 150, "Zeta").getBytes(StandardCharsets.UTF_8));
        JsonNode again = awaitReportOfDrop("v2-again.csv", Duration.ofMinutes(3));
        assertEquals("SKIPPED", again.get("status").asText(), again.toString());
        assertTrue(again.get("reason").asText().contains("by run " + v2.get("runId").asText()), again.toString());
    }

    @Test
    void twoRowsWithOneKeyFailTheRunNamingTheKeyAndBothLinesBeforeSparkStarts() throws Exception {
        drop("twice.csv", ("product_id,product_name,product_category,brand\n1,A,Books,Acme\n2,B,Books,Acme\n"
                           + "2,C,Books,Zeta\n").getBytes(StandardCharsets.UTF_8));

        JsonNode report = awaitReportOfDrop("twice.csv", Duration.ofMinutes(3));

        assertEquals("FAILED", report.get("status").asText(), report.toString());
        String message = report.at("/error/message").asText();
        assertTrue(message.contains("have the key product_id = 2: lines 3 and 4"), message);
        assertFalse(Files.exists(dataDir.resolve("warehouse").resolve("data").resolve("products")), "no table");
    }

    private JsonNode run(String name, String csv) throws Exception {
        drop(name, csv.getBytes(StandardCharsets.UTF_8));
        JsonNode report = awaitReportOfDrop(name, Duration.ofMinutes(3));
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        return report;
    }
}
