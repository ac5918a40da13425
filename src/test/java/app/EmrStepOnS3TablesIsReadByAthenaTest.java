package app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import emr.MotoHarness;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.ClusterSummary;
import software.amazon.awssdk.services.emr.model.StepSummary;
import support.LocalSpark;
import support.MiniStack;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    static final String TABLE_BUCKET = "ecommerce-lakehouse";

    /** The walkthrough's file: Athena reads the 20 rows the step wrote, and the cluster ends terminated. */
    @Nested
    class WalkthroughFile extends EmrOnS3TablesRun {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.once", samplePath().toString());
            return p;
        }

        @Test
        void athenaReadsTheRowsSparkWrote() throws Exception {
            JsonNode report = awaitReports(1, Duration.ofSeconds(240)).get(0);
            assertEquals("SUCCEEDED", report.get("status").asText(),
                    report + moto.log().orElse("") + miniStack.logTail());
            assertEquals(20, report.path("query").get("rows").asLong());
            assertEquals(sampleRows(), sortedById(resultRows(report)));
            assertEquals(List.of(List.of("20")), athena("SELECT COUNT(*) FROM " + table("products")));
            assertEquals(ClusterState.TERMINATED, moto.emr().listClusters().clusters().get(0).status().state());
        }
    }

    /**
     * Two datasets in one process, each through its own step on one cluster: the orders step writes data.orders, not
     * products, and the orders query, through Athena, joins the products table the first step wrote.
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
            List<JsonNode> reports = awaitReports(2, Duration.ofSeconds(300));
            JsonNode products = reports.get(0);
            JsonNode orders = reports.get(1);
            assertEquals("SUCCEEDED", products.get("status").asText(),
                    products + moto.log().orElse("") + miniStack.logTail());
            assertEquals("SUCCEEDED", orders.get("status").asText(),
                    orders + moto.log().orElse("") + miniStack.logTail());
            awaitExitCode(0);
            assertEquals(sampleRows(), sortedById(resultRows(products)));
            assertEquals(UNITS_PER_PRODUCT, resultRows(orders));
            assertEquals(List.of(List.of("20")), athena("SELECT COUNT(*) FROM " + table("products")));
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

    static String table(String name) {
        return "\"s3tablescatalog/" + TABLE_BUCKET + "\".\"data\".\"" + name + "\"";
    }

    abstract static class EmrOnS3TablesRun extends PipelineTestSupport {

        MotoHarness moto;
        MiniStack miniStack;
        String tableBucketArn;

        @Override
        protected String profile() {
            return "aws";
        }

        @Override
        protected Properties testProperties() {
            moto = MotoHarness.current();
            moto.reset();
            miniStack = MiniStack.current();
            miniStack.reset();
            tableBucketArn = miniStack.createTableBucket(TABLE_BUCKET);
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
            Properties p = new Properties();
            p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
            p.setProperty("pipeline.s3.endpoint", motoEndpoint);
            p.setProperty("pipeline.s3.region", MotoHarness.REGION);
            p.setProperty("pipeline.s3.pathStyle", "true");
            p.setProperty("pipeline.s3.createBucket", "true");
            p.setProperty("pipeline.s3tables.tableBucketArn", tableBucketArn);
            p.setProperty("pipeline.emr.endpoint", motoEndpoint);
            p.setProperty("pipeline.emr.region", MotoHarness.REGION);
            p.setProperty("pipeline.emr.scriptPath", Path.of("pyspark", "load_to_iceberg.py").toAbsolutePath()
                    .toString());
            p.setProperty("pipeline.emr.waitInterval", "200ms");
            p.setProperty("pipeline.emr.waitTimeout", "240s");
            p.setProperty("pipeline.athena.endpoint", miniStack.endpoint().toString());
            p.setProperty("pipeline.athena.region", MiniStack.REGION);
            p.setProperty("pipeline.athena.outputLocation", "s3://" + ATHENA_RESULTS + "/");
            p.setProperty("pipeline.athena.pollInterval", "100ms");
            return p;
        }

        List<List<String>> athena(String sql) throws InterruptedException {
            return miniStack.athenaRows(sql, "s3://" + ATHENA_RESULTS + "/check/");
        }
    }
}
