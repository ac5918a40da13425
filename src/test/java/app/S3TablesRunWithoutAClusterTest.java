package app;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.athena.AthenaClient;
import support.MiniStack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The aws profile with engine iceberg and catalog s3tables on MiniStack: the app commits to the table bucket through
 * its Iceberg REST endpoint, with no cluster, and MiniStack's Athena (real SQL through DuckDB) reads what was loaded.
 */
@ExtendWith(MiniStack.class)
class S3TablesRunWithoutAClusterTest {

    static final String BUCKET = "s3-general-purpose-ecommerce";
    static final String TABLE = AthenaOnS3TablesRun.table("products");

    /**
     * The walkthrough's file: 20 rows in the table bucket, COUNT(*) reconciled and the 20 rows in the results; the
     * table is created by the load's commit, a create transaction staged in the table bucket's catalog.
     */
    @Nested
    class WalkthroughFile extends S3TablesRun {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.once", samplePath().toString());
            return p;
        }

        @Test
        void athenaReadsTheTwentyLoadedRows() throws Exception {
            JsonNode report = assertTheWalkthroughsRowsAreQueried(Duration.ofSeconds(120));
            assertEquals("data.products", report.get("table").asText());
            try (AthenaClient athena = miniStack.athena()) {
                List<String> queries = athena.listQueryExecutions().queryExecutionIds().stream()
                        .map(id -> athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution().query())
                        .toList();
                assertTrue(queries.contains("SELECT COUNT(*) FROM " + TABLE), queries.toString());
            }
        }
    }

    /**
     * The walkthrough's file without a schema: the table bucket's catalog gives the columns of the inferred schema
     * their ids before the table exists, the load creates it with them, and Athena reads the rows.
     */
    @Nested
    class InferredSchema extends S3TablesRun {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.once", samplePath().toString());
            p.setProperty("pipeline.convert.schema", "");
            return p;
        }

        @Test
        void athenaReadsTheRowsOfTheTableTheLoadCreated() throws Exception {
            JsonNode report = awaitReports(1, java.time.Duration.ofSeconds(120)).get(0);
            assertEquals("SUCCEEDED", report.get("status").asText(), report + miniStack.logTail());
            assertEquals("inferred", report.at("/schema/source").asText());
            assertEquals(sampleRows(), sortedById(resultRows(report)));
            assertEquals(List.of(List.of("20", "210")), athena("SELECT COUNT(*), SUM(product_id) FROM " + TABLE));
        }
    }

    /** Two files loaded in overwrite mode: Athena counts the second file's 20 rows, not 40. */
    @Nested
    class OverwriteTwice extends S3TablesRun {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.putAll(fastInbox());
            p.setProperty("pipeline.table.mode", "overwrite");
            return p;
        }

        @Test
        void athenaCountsTheLastFileOnly() throws Exception {
            loadTwice();
            assertEquals(List.of(List.of("20")), athena("SELECT COUNT(*) FROM " + TABLE));
            assertEquals(List.of(List.of("20")), athena("SELECT COUNT(DISTINCT product_id) FROM " + TABLE));
            assertEquals(List.of(List.of("101")), athena("SELECT MIN(product_id) FROM " + TABLE), "the second file's");
        }
    }

    /** Two files loaded in append mode: Athena counts 40 rows, each product twice, and each run reconciled. */
    @Nested
    class AppendTwice extends S3TablesRun {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.putAll(fastInbox());
            p.setProperty("pipeline.table.mode", "append");
            return p;
        }

        @Test
        void athenaCountsBothFiles() throws Exception {
            List<JsonNode> reports = loadTwice();
            assertEquals(40, reports.get(1).path("query").get("rows").asLong());
            assertEquals(List.of(List.of("40")), athena("SELECT COUNT(*) FROM " + TABLE));
            // the second file's ids are the first's plus 100: each row once
            assertEquals(List.of(List.of("40", "1")), athena(
                    "SELECT COUNT(*), MAX(n) FROM (SELECT product_id, COUNT(*) AS n FROM " + TABLE
                    + " GROUP BY product_id)"));
        }
    }

    /**
     * Two datasets, one process, one Athena: each run's query goes out with its own table, and the orders query joins
     * the products table that the first run loaded into the same table bucket.
     */
    @Nested
    class TwoDatasets extends S3TablesRun {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            productsThenOrdersOnce(p, TABLE);
            return p;
        }

        @Test
        void eachDatasetIsQueriedOnItsOwnTable() throws Exception {
            List<JsonNode> reports = assertEachDatasetIsQueriedOnItsOwnTable(Duration.ofSeconds(180));
            assertEquals("data.products", reports.get(0).get("table").asText());
            assertEquals("data.orders", reports.get(1).get("table").asText());
        }
    }

    /** A well-formed ARN of a table bucket that does not exist: the run fails at load, naming the ARN. */
    @Nested
    class NoSuchTableBucket extends S3TablesRun {

        static final String MISSING = MiniStack.tableBucketArn("no-such-lakehouse");

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.once", samplePath().toString());
            p.setProperty("pipeline.s3tables.tableBucketArn", MISSING);
            return p;
        }

        @Test
        void runFailsNamingTheTableBucket() throws Exception {
            JsonNode report = awaitReports(1, Duration.ofSeconds(120)).get(0);
            assertEquals("FAILED", report.get("status").asText(), report.toString());
            assertEquals("prepare", report.get("error").get("stage").asText());
            String message = report.get("error").get("message").asText();
            assertTrue(message.contains(MISSING), message);
            assertTrue(message.contains("pipeline.s3tables.tableBucketArn"), message);
        }
    }

    abstract static class S3TablesRun extends AthenaOnS3TablesRun {

        @Override
        String athenaResults() {
            return "s3://" + BUCKET + "/athena-results/";
        }

        @Override
        protected Properties testProperties() {
            Properties p = athenaOnANewTableBucket();
            String endpoint = miniStack.endpoint().toString();
            p.setProperty("pipeline.engine", "iceberg");
            p.setProperty("pipeline.table.catalog", "s3tables");
            p.setProperty("pipeline.s3tables.endpoint", miniStack.icebergEndpoint().toString());
            // MiniStack stores no location for a table created without one; AWS chooses it
            p.setProperty("pipeline.s3tables.tableLocationPrefix", "s3://" + TABLE_BUCKET);
            p.setProperty("pipeline.s3tables.s3Endpoint", endpoint);
            p.setProperty("pipeline.s3tables.s3PathStyle", "true");
            p.setProperty("pipeline.s3.endpoint", endpoint);
            p.setProperty("pipeline.s3.region", MiniStack.REGION);
            p.setProperty("pipeline.s3.pathStyle", "true");
            p.setProperty("pipeline.s3.createBucket", "true");
            return p;
        }

        /** Drops the walkthrough's file twice, one run after the other; both runs succeed. */
        List<JsonNode> loadTwice() throws Exception {
            drop("first.csv", sampleCsv().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            JsonNode first = awaitReportOfDrop("first.csv", Duration.ofSeconds(120));
            assertEquals("SUCCEEDED", first.get("status").asText(), first + miniStack.logTail());
            drop("second.csv", sampleCsvWithIdsFrom(100).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            JsonNode second = awaitReportOfDrop("second.csv", Duration.ofSeconds(120));
            assertEquals("SUCCEEDED", second.get("status").asText(), second + miniStack.logTail());
            assertEquals(sampleRows(), sortedById(resultRows(first)));
            return List.of(first, second);
        }
    }
}
