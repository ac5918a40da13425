package app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.PipelineConfig;
import lake.CommitIdentity;
import lake.IcebergTables;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.Test;
import support.LocalSpark;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With pipeline.engine=spark-submit the Spark job records the input's identity in its commit and its load ledger as
 * the embedded engine does, and a file dropped again with the same bytes ends SKIPPED naming the snapshot, the run
 * that loaded it and the ledger.
 */
class SparkSubmitEngineSkipsTheSameInputTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = LocalSpark.engineProperties();
        p.putAll(fastInbox());
        p.setProperty("pipeline.table.mode", "append");
        return p;
    }

    @Test
    void theSameBytesAreLoadedOnce() throws Exception {
        byte[] csv = sampleCsv().getBytes(StandardCharsets.UTF_8);
        drop("products.csv", csv);
        JsonNode first = awaitReportOfDrop("products.csv", Duration.ofMinutes(3));
        assertEquals("SUCCEEDED", first.get("status").asText(), first.toString());
        Snapshot loaded = IcebergTables.load(context.getRegistry().findSingleByType(PipelineConfig.class).table())
                .currentSnapshot();
        assertEquals(sha256(csv), loaded.summary().get(CommitIdentity.INPUT_SHA256));
        assertEquals(first.get("runId").asText(), loaded.summary().get(CommitIdentity.RUN_ID));

        drop("products-again.csv", csv);
        JsonNode again = awaitReportOfDrop("products-again.csv", Duration.ofMinutes(3));
        assertEquals("SKIPPED", again.get("status").asText(), again.toString());
        assertEquals("already loaded in snapshot " + loaded.snapshotId() + " by run " + first.get("runId").asText()
                     + " (load ledger data.products_loads)", again.get("reason").asText());
        assertEquals("data.products_loads", first.at("/ledgerEntry/table").asText(), first.toString());
        assertEquals(first.get("ledgerEntry"), again.get("ledgerEntry"), "both name the ledger's row of the load");
        assertEquals("20", IcebergTables.load(context.getRegistry().findSingleByType(PipelineConfig.class).table())
                .currentSnapshot().summary().get("total-records"));
    }
}
