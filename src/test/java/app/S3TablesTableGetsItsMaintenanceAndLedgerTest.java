package app;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.MaintenanceConfig;
import config.S3TablesConfig;
import config.TableConfig;
import lake.S3TablesMaintenance;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import support.MiniStack;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On S3 Tables (MiniStack's control plane and Iceberg REST endpoint): a load with
 * {@code pipeline.table.maintenance.enabled} leaves the table and its load ledger with the maintenance configuration
 * the settings say, read back through GetTableMaintenanceConfiguration; a change of the settings is set again; and
 * the ledger is a table Athena queries.
 */
@ExtendWith(MiniStack.class)
class S3TablesTableGetsItsMaintenanceAndLedgerTest {

    @Nested
    class OneLoad extends S3TablesRunWithoutAClusterTest.S3TablesRun {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.once", samplePath().toString());
            p.setProperty("pipeline.table.maintenance.enabled", "true");
            p.setProperty("pipeline.table.maintenance.targetFileSize", "128MB");
            p.setProperty("pipeline.table.maintenance.keepSnapshots", "3");
            p.setProperty("pipeline.table.maintenance.expireSnapshotsAfter", "48h");
            return p;
        }

        @Test
        void theTableAndItsLedgerAreMaintainedAsTheSettingsSay() throws Exception {
            JsonNode report = awaitReports(1, Duration.ofSeconds(120)).get(0);
            assertEquals("SUCCEEDED", report.get("status").asText(), report + logs());
            S3TablesMaintenance maintenance = new S3TablesMaintenance(table(true, 128, 3, 48));
            assertEquals(List.of(
                    new S3TablesMaintenance.Configuration("data.products", "enabled, target file size 128 MB",
                            "enabled, at least 3 kept, expired after 48 h"),
                    new S3TablesMaintenance.Configuration("data.products_loads", "enabled, target file size 128 MB",
                            "enabled, at least 3 kept, expired after 48 h")), maintenance.read());

            new S3TablesMaintenance(table(false, 256, 1, 120)).apply();
            assertEquals(new S3TablesMaintenance.Configuration("data.products", "disabled, target file size 256 MB",
                    "enabled, at least 1 kept, expired after 120 h"), maintenance.read().get(0));

            assertEquals(List.of(List.of(report.get("runId").asText(), report.get("sha256").asText(), "overwrite",
                            "true")),
                    athena("SELECT run_id, input_sha256, operation, replaces_rows FROM " + table("products_loads")));
        }

        private TableConfig table(boolean compact, int targetMb, int keep, int hours) {
            S3TablesConfig s3tables = new S3TablesConfig(tableBucketArn, MiniStack.REGION, miniStack.icebergEndpoint(),
                    Optional.of(miniStack.endpoint()), true, Optional.empty());
            MaintenanceConfig maintenance = new MaintenanceConfig(true, Duration.ofHours(24), compact,
                    targetMb * 1024L * 1024, 5, keep, Duration.ofHours(hours), true, Duration.ofHours(72));
            return new TableConfig(TableConfig.Catalog.S3TABLES, null, null, "data", "products",
                    TableConfig.Mode.OVERWRITE, TableConfig.SchemaEvolution.NONE, Optional.of(s3tables), false, false,
                    maintenance);
        }
    }
}
