package app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.TableConfig;
import emr.MotoHarness;
import lake.CommitIdentity;
import lake.IcebergTables;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;
import support.LocalSpark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run that fails for the infrastructure's sake after its commit is not recorded as bad data: the poller fetches the
 * same content again on its next tick. Here the EMR step (moto, the job really run on local Spark) commits its rows,
 * then EMR fails the step, as it does when YARN kills the container once the job is done. The retry finds its input in
 * the table and ends SKIPPED naming that commit, which settles the content; in append mode the table keeps the rows
 * once, whatever the later ticks.
 */
@ExtendWith(MotoHarness.class)
class InfrastructureFailureLeavesHttpContentForTheNextPollTest extends HttpSourceTestSupport {

    /** Two steps on local Spark on a busy 2-core machine. */
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private Path warehouse;

    @Override
    protected String profile() {
        return "aws";
    }

    @Override
    protected Properties sourceProperties() {
        MotoHarness moto = MotoHarness.current();
        moto.reset();
        warehouse = dataDir.resolve("emr-warehouse");
        // the first step commits, then fails; the next one runs as it should
        moto.runStepsWithLocalSpark(warehouse, LocalSpark.icebergJar(), 1);
        Properties p = moto.awsProfileProperties();
        p.setProperty("pipeline.source.pollInterval", "300ms");
        p.setProperty("pipeline.table.mode", "append");
        p.setProperty("pipeline.emr.waitInterval", "100ms");
        p.setProperty("pipeline.emr.waitTimeout", "3m");
        return p;
    }

    @Test
    void stepFailedAfterItsCommitLeavesTheContentAndTheRetryLoadsNothingTwice() throws Exception {
        source.serve(SOURCE_PATH, Response.csv(sampleCsv())).start();

        List<JsonNode> reports = awaitReports(2, LIMIT);
        JsonNode failed = reports.get(0);
        assertEquals("FAILED", failed.path("status").asText(), failed.toString());
        assertEquals("load", failed.at("/error/stage").asText(), failed.toString());
        assertTrue(failed.at("/error/message").asText().contains("Container killed on request"), failed.toString());

        Snapshot committed = table().currentSnapshot();
        assertEquals(failed.path("runId").asText(), committed.summary().get(CommitIdentity.RUN_ID),
                "the failed run's step had committed");
        JsonNode retried = reports.get(1);
        assertEquals(failed.path("sha256").asText(), retried.path("sha256").asText(), "the same content, again");
        assertEquals("SKIPPED", retried.path("status").asText(), retried.toString());
        assertEquals("already loaded in snapshot " + committed.snapshotId() + " by run "
                     + failed.path("runId").asText() + " (load ledger data.products_loads)",
                retried.path("reason").asText());

        // the content is settled now: later ticks find it unchanged, and the table holds its rows once
        int asked = source.requests(SOURCE_PATH).size();
        source.awaitRequests(SOURCE_PATH, asked + 3, LIMIT);
        assertEquals(2, reports().size(), "later ticks find the content settled: " + reports());
        assertEquals(committed.snapshotId(), table().currentSnapshot().snapshotId());
        assertEquals("20", table().currentSnapshot().summary().get("total-records"));
    }

    private org.apache.iceberg.Table table() {
        return IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, warehouse, null, "data", "products",
                TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE));
    }
}
