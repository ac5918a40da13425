package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.athena.AthenaClient;
import support.MiniStack;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The aws profile with engine iceberg and catalog s3tables on MiniStack: the app commits to the table bucket through
 * its Iceberg REST endpoint, with no cluster, and MiniStack's Athena (real SQL through DuckDB) reads what was loaded.
 */
@ExtendWith(MiniStack.class)
class S3TablesRunWithoutAClusterTest {

    static final String BUCKET = "s3-general-purpose-ecommerce";
    static final String TABLE_BUCKET = "ecommerce-lakehouse";

    /** The walkthrough's file: 20 rows in the table bucket, COUNT(*) reconciled and the 20 rows in the results. */
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
            JsonNode report = awaitReport();
            assertEquals("SUCCEEDED", report.get("status").asText(), report + miniStack.logTail());
            assertEquals("data.products", report.get("table").asText());
            assertEquals(20, report.get("queryRows").asLong());
            assertEquals(sampleRows(), sorted(resultRows(report)));
            try (AthenaClient athena = miniStack.athena()) {
                List<String> queries = athena.listQueryExecutions().queryExecutionIds().stream()
                        .map(id -> athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution().query())
                        .toList();
                assertTrue(queries.contains("SELECT COUNT(*) FROM \"s3tablescatalog/" + TABLE_BUCKET
                                            + "\".\"data\".\"products\""), queries.toString());
            }
        }
    }

    abstract static class S3TablesRun extends PipelineTestSupport {

        MiniStack miniStack;
        String tableBucketArn;

        @Override
        protected String profile() {
            return "aws";
        }

        @Override
        protected Properties testProperties() {
            miniStack = MiniStack.current();
            miniStack.reset();
            tableBucketArn = miniStack.createTableBucket(TABLE_BUCKET);
            String endpoint = miniStack.endpoint().toString();
            Properties p = new Properties();
            p.setProperty("pipeline.engine", "iceberg");
            p.setProperty("pipeline.table.catalog", "s3tables");
            p.setProperty("pipeline.s3tables.tableBucketArn", tableBucketArn);
            p.setProperty("pipeline.s3tables.endpoint", miniStack.icebergEndpoint().toString());
            // MiniStack stores no location for a table created without one; AWS chooses it
            p.setProperty("pipeline.s3tables.tableLocationPrefix", "s3://" + TABLE_BUCKET);
            p.setProperty("pipeline.s3.endpoint", endpoint);
            p.setProperty("pipeline.s3.region", MiniStack.REGION);
            p.setProperty("pipeline.s3.pathStyle", "true");
            p.setProperty("pipeline.s3.createBucket", "true");
            p.setProperty("pipeline.athena.endpoint", endpoint);
            p.setProperty("pipeline.athena.region", MiniStack.REGION);
            p.setProperty("pipeline.athena.outputLocation", "s3://" + BUCKET + "/athena-results/");
            p.setProperty("pipeline.athena.pollInterval", "100ms");
            return p;
        }

        /** The data rows of the run's results file, as Athena returned them. */
        static List<List<String>> resultRows(JsonNode report) throws Exception {
            return rowsOf(Files.readString(Path.of(report.get("resultsFile").asText())));
        }

        static List<List<String>> sorted(List<List<String>> rows) {
            List<List<String>> copy = new ArrayList<>(rows);
            copy.sort(Comparator.comparing(row -> Integer.parseInt(row.get(0))));
            return copy;
        }
    }
}
