package app;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import support.MiniStack;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test support shared by the whole-app runs in the aws profile that load into an S3 Tables table bucket on MiniStack
 * and query it with MiniStack's Athena (real SQL through DuckDB), whichever engine loads: the table bucket, the Athena
 * settings, Athena's name of a table, and the checks of the walkthrough's file and of the two datasets' runs.
 */
abstract class AthenaOnS3TablesRun extends PipelineTestSupport {

    static final String TABLE_BUCKET = "ecommerce-lakehouse";

    MiniStack miniStack;
    String tableBucketArn;

    @Override
    protected String profile() {
        return "aws";
    }

    /** Where the app's Athena queries write their results: an {@code s3://} location on MiniStack. */
    abstract String athenaResults();

    /** What a failed check shows besides the report: the servers' logs. */
    String logs() {
        return miniStack.logTail();
    }

    /**
     * MiniStack reset, with the table bucket {@link #TABLE_BUCKET}; the properties of the Athena that reads it, whose
     * results each run keeps in its data dir.
     */
    Properties athenaOnANewTableBucket() {
        miniStack = MiniStack.current();
        miniStack.reset();
        tableBucketArn = miniStack.createTableBucket(TABLE_BUCKET);
        Properties p = new Properties();
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        p.setProperty("pipeline.s3tables.tableBucketArn", tableBucketArn);
        p.setProperty("pipeline.athena.endpoint", miniStack.endpoint().toString());
        p.setProperty("pipeline.athena.region", MiniStack.REGION);
        p.setProperty("pipeline.athena.outputLocation", athenaResults());
        p.setProperty("pipeline.athena.pollInterval", "100ms");
        return p;
    }

    /** The table as Athena names it: {@code "s3tablescatalog/ecommerce-lakehouse"."data"."products"}. */
    static String table(String name) {
        return "\"s3tablescatalog/" + TABLE_BUCKET + "\".\"data\".\"" + name + "\"";
    }

    /** The rows of {@code sql} as MiniStack's Athena answers it, asked by the test itself. */
    List<List<String>> athena(String sql) throws InterruptedException {
        return miniStack.athenaRows(sql, athenaResults() + "test-queries/");
    }

    /** The one-shot run of the walkthrough's file SUCCEEDED, its 20 rows in its results and in the table. */
    JsonNode assertTheWalkthroughsRowsAreQueried(Duration limit) throws Exception {
        JsonNode report = awaitReports(1, limit).get(0);
        assertEquals("SUCCEEDED", report.get("status").asText(), report + logs());
        assertEquals(20, report.path("query").get("rows").asLong());
        assertEquals(sampleRows(), sortedById(resultRows(report)));
        assertEquals(List.of(List.of("20")), athena("SELECT COUNT(*) FROM " + table("products")));
        return report;
    }

    /**
     * The two datasets' runs ({@link #productsThenOrdersOnce}) SUCCEEDED, each queried on its own table: the orders
     * query joins the products table the first run loaded into the same table bucket.
     */
    List<JsonNode> assertEachDatasetIsQueriedOnItsOwnTable(Duration limit) throws Exception {
        List<JsonNode> reports = awaitReports(2, limit);
        JsonNode products = reports.get(0);
        JsonNode orders = reports.get(1);
        assertEquals("SUCCEEDED", products.get("status").asText(), products + logs());
        assertEquals("SUCCEEDED", orders.get("status").asText(), orders + logs());
        awaitExitCode(0);
        assertEquals(sampleRows(), sortedById(resultRows(products)));
        assertEquals(UNITS_PER_PRODUCT, resultRows(orders));
        assertEquals(List.of(List.of("20")), athena("SELECT COUNT(*) FROM " + table("products")));
        return reports;
    }
}
