package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.iceberg.TableProperties;
import emr.MotoHarness;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.ClusterSummary;
import software.amazon.awssdk.services.emr.model.StepSummary;
import support.LocalSpark;
import support.MiniStack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The aws profile's emr engine, whose step runs the walkthrough's Spark job on local pyspark against MiniStack's S3
 * Tables Iceberg REST endpoint (a REST catalog in place of S3TablesCatalog), so MiniStack's Athena (real SQL) reads
 * what Spark wrote. moto stays for EMR and the upload: MiniStack's EMR records steps but never runs them, and the moto
 * harness runs each step's spark-submit with the uploaded script and Parquet staged from moto's S3.
 */
@ExtendWith({MotoHarness.class, MiniStack.class})
class EmrStepOnS3TablesIsReadByAthenaTest {

    static final String BUCKET = "s3-general-purpose-ecommerce";
    static final String ATHENA_RESULTS = "athena-results-ecommerce";

    /**
     * Two datasets in one process, each through its own step: the walkthrough's file lands in data.products (Athena
     * reads its 20 rows), the orders step writes data.orders, not products, and the orders query, through Athena, joins
     * the products table the first step wrote.
     */
    @Nested
    class TwoDatasets extends EmrOnS3TablesRun {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            Map<String, String> orders = new LinkedHashMap<>();
            orders.put("order_id", "long");
            orders.put("product_id", "int");
            orders.put("quantity", "int");
            orders.put("unit_price", "decimal(10,2)");
            orders.put("ordered_at", "timestamptz");
            miniStack.createTable(tableBucketArn, "data", "orders", orders);
            productsThenOrdersOnce(p, table("products"));
            return p;
        }

        @Test
        void eachStepLoadsItsOwnTable() throws Exception {
            assertEachDatasetIsQueriedOnItsOwnTable(Duration.ofSeconds(300));
            assertEquals(List.of(List.of("8", "12")), athena("SELECT COUNT(*), SUM(quantity) FROM " + table("orders")));

            // a cluster per run, as for one dataset (pipeline.emr.keepCluster=false): each terminated after its step
            List<String> tables = new ArrayList<>();
            for (ClusterSummary cluster : moto.emr().listClusters().clusters()) {
                assertEquals(ClusterState.TERMINATED, cluster.status().state(), cluster.toString());
                for (StepSummary step : moto.emr().listSteps(b -> b.clusterId(cluster.id())).steps()) {
                    List<String> args = step.config().args();
                    tables.add(args.get(args.indexOf("--table") + 1));
                }
            }
            tables.sort(Comparator.naturalOrder());
            assertEquals(List.of("orders", "products"), tables);
        }
    }

    /**
     * Merge mode through the step's MERGE INTO on S3 Tables, on a table of {@code write.merge.mode=merge-on-read} (as
     * the pipeline makes its tables): v1 (1,000 rows), then v2 (100 changed, 50 new), whose replaced rows go by
     * position deletes; Athena reads 1,050 rows with v2's values; v2 again is SKIPPED.
     */
    @Nested
    class MergedTable extends EmrOnS3TablesRun {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.putAll(fastInbox());
            p.setProperty("pipeline.table.mode", "merge");
            p.setProperty("pipeline.table.key", "product_id");
            return p;
        }

        @Test
        void athenaReadsTheMergedRows() throws Exception {
            Duration limit = Duration.ofSeconds(300);
            miniStack.setTableProperty(tableBucketArn, "data", "products", TableProperties.MERGE_MODE,
                    "merge-on-read");
            drop("v1.csv", MergeModeUpsertsOnTheKeyTest.products(1, 1000, "Acme").getBytes(StandardCharsets.UTF_8));
            JsonNode v1 = awaitReportOfDrop("v1.csv", limit);
            assertEquals("SUCCEEDED", v1.get("status").asText(), v1 + logs());

            drop("v2.csv", MergeModeUpsertsOnTheKeyTest.products(901, 150, "Zeta").getBytes(StandardCharsets.UTF_8));
            JsonNode v2 = awaitReportOfDrop("v2.csv", limit);

            assertEquals("SUCCEEDED", v2.get("status").asText(), v2 + logs());
            assertEquals(List.of(50L, 100L, 0L), List.of(v2.at("/merge/inserted").asLong(),
                    v2.at("/merge/updated").asLong(), v2.at("/merge/deleted").asLong()), v2.toString());
            assertEquals("100", miniStack.currentSnapshotSummary(tableBucketArn, "data", "products")
                    .path("total-position-deletes").asText(), "v1's replaced rows deleted by position");
            assertEquals(List.of(List.of("1050", "900", "150", "1050")), athena("SELECT COUNT(*),"
                    + " COUNT_IF(brand = 'Acme' AND product_id <= 900), COUNT_IF(brand = 'Zeta' AND product_id > 900),"
                    + " COUNT(DISTINCT product_id) FROM " + table("products")));

            drop("v2-again.csv", MergeModeUpsertsOnTheKeyTest.products(901, 150, "Zeta")
                    .getBytes(StandardCharsets.UTF_8));
            JsonNode again = awaitReportOfDrop("v2-again.csv", limit);
            assertEquals("SKIPPED", again.get("status").asText(), again + logs());
            // v2's load is in the ledger: the skip names v2's run and the ledger
            assertTrue(again.get("reason").asText().endsWith(" by run " + v2.get("runId").asText()
                    + " (load ledger data.products_loads)"), again + logs());
            assertFalse(v2.path("warnings").toString().contains("load ledger"), "its ledger row is written: " + v2);
        }
    }

    /** Append mode: a file dropped twice is appended once; the second drop is SKIPPED, found in the load ledger. */
    @Nested
    class AppendedTable extends EmrOnS3TablesRun {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.putAll(fastInbox());
            p.setProperty("pipeline.table.mode", "append");
            return p;
        }

        @Test
        void theSameFileAgainIsSkipped() throws Exception {
            Duration limit = Duration.ofSeconds(300);
            byte[] csv = MergeModeUpsertsOnTheKeyTest.products(1, 100, "Acme").getBytes(StandardCharsets.UTF_8);
            drop("first.csv", csv);
            JsonNode first = awaitReportOfDrop("first.csv", limit);
            assertEquals("SUCCEEDED", first.get("status").asText(), first + logs());

            drop("again.csv", csv);
            JsonNode again = awaitReportOfDrop("again.csv", limit);
            assertEquals("SKIPPED", again.get("status").asText(), again + logs());
            assertTrue(again.get("reason").asText().endsWith(" by run " + first.get("runId").asText()
                    + " (load ledger data.products_loads)"), again + logs());
            assertEquals(List.of(List.of("100")), athena("SELECT COUNT(*) FROM " + table("products")));
        }
    }

    abstract static class EmrOnS3TablesRun extends AthenaOnS3TablesRun {

        MotoHarness moto;

        @Override
        String athenaResults() {
            return "s3://" + ATHENA_RESULTS + "/";
        }

        @Override
        String logs() {
            return moto.log().orElse("") + super.logs();
        }

        @Override
        protected Properties testProperties() {
            moto = MotoHarness.current();
            moto.reset();
            Properties p = athenaOnANewTableBucket();
            // MiniStack's REST CreateTable stores no location unless named: the job names its ledger's
            p.setProperty("pipeline.s3tables.tableLocationPrefix",
                    "s3://" + tableBucketArn.substring(tableBucketArn.lastIndexOf('/') + 1));
            miniStack.createNamespace(tableBucketArn, "data");
            Map<String, String> columns = new LinkedHashMap<>();
            columns.put("product_id", "int");
            columns.put("product_name", "string");
            columns.put("product_category", "string");
            columns.put("brand", "string");
            miniStack.createTable(tableBucketArn, "data", "products", columns);
            miniStack.s3().createBucket(b -> b.bucket(ATHENA_RESULTS));
            moto.runStepsWithLocalSparkOnRestCatalog(miniStack.icebergEndpoint(), LocalSpark.icebergJar(),
                    LocalSpark.icebergAwsBundle());

            String motoEndpoint = moto.endpoint().toString();
            p.setProperty("pipeline.s3.endpoint", motoEndpoint);
            p.setProperty("pipeline.s3.region", MotoHarness.REGION);
            p.setProperty("pipeline.s3.pathStyle", "true");
            p.setProperty("pipeline.s3.createBucket", "true");
            p.setProperty("pipeline.emr.endpoint", motoEndpoint);
            p.setProperty("pipeline.emr.region", MotoHarness.REGION);
            p.setProperty("pipeline.emr.scriptPath", Path.of("pyspark", "load_to_iceberg.py").toAbsolutePath()
                    .toString());
            p.setProperty("pipeline.emr.waitInterval", "200ms");
            p.setProperty("pipeline.emr.waitTimeout", "240s");
            return p;
        }
    }
}
