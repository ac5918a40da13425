package app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.TableConfig;
import lake.IcebergTables;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;
import support.TableRows;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code pipeline.table.maintenance.enabled}, the service compacts its table on the schedule while files keep
 * arriving: every run succeeds (the maintenance takes its turn with them), the small files end as one, and every row
 * of every run is there once.
 */
class ServiceMaintainsItsTableOnAScheduleTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = fastInbox();
        p.setProperty("pipeline.table.mode", "append");
        p.setProperty("pipeline.table.maintenance.enabled", "true");
        p.setProperty("pipeline.table.maintenance.interval", "300ms");
        p.setProperty("pipeline.table.maintenance.minInputFiles", "2");
        return p;
    }

    @Test
    void smallFilesAreCompactedBetweenRuns() throws Exception {
        for (int i = 0; i < 6; i++) {
            drop("p" + i + ".csv", sampleCsvWithIdsFrom(100 * i).getBytes(StandardCharsets.UTF_8));
            JsonNode report = awaitReportOfDrop("p" + i + ".csv");
            assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        }
        TableConfig config = new TableConfig(TableConfig.Catalog.HADOOP, dataDir.resolve("warehouse"), null, "data",
                "products", TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE);
        Table table = await("the six loads compacted into one file").atMost(RUN_LIMIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> IcebergTables.load(config), t -> IcebergTables.currentFiles(t).dataFiles().size() == 1);
        assertEquals(120, TableRows.read(table).size(), "every row of the six runs, once");
        boolean compacted = false;
        for (Snapshot snapshot : table.snapshots()) {
            compacted |= "replace".equals(snapshot.operation());
        }
        assertTrue(compacted, "a compaction committed a replace snapshot");
    }
}
