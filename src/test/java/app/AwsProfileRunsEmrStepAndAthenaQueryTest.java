package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import emr.MotoHarness;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.ClusterSummary;
import config.TableConfig;
import lake.IcebergTables;
import org.apache.iceberg.Table;
import support.LocalSpark;
import support.PipelineTestSupport;
import support.TableRows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The aws profile end to end against moto in server mode: upload to S3, an EMR cluster and step, Athena over the S3
 * Tables catalog; a failed step fails the run, terminates the cluster and keeps the input in .failed/.
 */
@ExtendWith(MotoHarness.class)
class AwsProfileRunsEmrStepAndAthenaQueryTest {

    static final String BUCKET = "s3-general-purpose-ecommerce";

    /** The step runs the real job on local Spark: the run loads a real table, reconciles, reads every Athena row. */
    @Nested
    class StepCompletes extends AwsRun {

        Path warehouse;

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.once", samplePath().toString());
            warehouse = dataDir.resolve("emr-warehouse");
            moto.runStepsWithLocalSpark(warehouse, LocalSpark.icebergJar());
            moto.queueAthenaResult(List.of("_col0"), List.of(List.of("20")));
            List<List<String>> rows;
            try {
                rows = new ArrayList<>(sampleRows());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            moto.queueAthenaResult(List.of("product_id", "product_name", "product_category", "brand"), rows);
            return p;
        }

        @Test
        void runSucceedsAndTheClusterIsTerminated() throws Exception {
            // the step runs the real job on local Spark: on a busy 2-core machine that alone can take over 30 s
            JsonNode report = awaitReports(1, java.time.Duration.ofSeconds(180)).get(0);
            assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
            assertEquals("s3://" + BUCKET + "/data/products.parquet", report.get("parquetUri").asText());
            Table table = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, warehouse, null, "data",
                    "products", TableConfig.Mode.OVERWRITE, TableConfig.SchemaEvolution.NONE));
            assertEquals(table.currentSnapshot().snapshotId(), report.get("snapshotId").asLong());
            assertEquals(sampleRows(), TableRows.productRows(table));
            assertEquals(20, report.path("query").get("rows").asLong());
            List<String> csv = Files.readAllLines(Path.of(report.path("query").path("resultsFile").asText()));
            assertEquals(21, csv.size());
            assertEquals("product_id,product_name,product_category,brand", csv.get(0));

            // the Parquet the step loads is in moto's S3, typed
            assertEquals(sampleRows(), asRows(readParquet(report.get("parquetUri").asText())));

            List<ClusterSummary> clusters = moto.emr().listClusters().clusters();
            assertEquals(1, clusters.size());
            assertEquals(ClusterState.TERMINATED, clusters.get(0).status().state());

            try (AthenaClient athena = moto.athena()) {
                List<String> queries = athena.listQueryExecutions().queryExecutionIds().stream()
                        .map(id -> athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution().query())
                        .toList();
                assertTrue(queries.stream().anyMatch(q -> q.contains(
                        "\"s3tablescatalog/ecommerce-lakehouse\".\"data\".\"products\"")), queries.toString());
            }
        }
    }

    /** A step that fails in Spark: the run fails with Spark's error, the cluster goes, the input is kept. */
    @Nested
    class StepFails extends AwsRun {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.inbox.pollInterval", "200ms");
            p.setProperty("pipeline.inbox.readLockMinAge", "100ms");
            p.setProperty("pipeline.emr.scriptPath",
                    Path.of("src/test/resources/spark/read_missing_input.py").toAbsolutePath().toString());
            moto.runStepsWithLocalSpark(dataDir.resolve("emr-warehouse"), LocalSpark.icebergJar());
            return p;
        }

        @Test
        void runFailsAndTheInputIsKept() throws Exception {
            Files.createDirectories(inbox());
            Path staged = Files.copy(samplePath(), dataDir.resolve("products.csv"));
            Files.move(staged, inbox().resolve("products.csv"), StandardCopyOption.ATOMIC_MOVE);

            JsonNode report = awaitReport();
            assertEquals("FAILED", report.get("status").asText(), report.toString());
            assertEquals("load", report.get("error").get("stage").asText());
            String message = report.get("error").get("message").asText();
            assertTrue(message.contains("PATH_NOT_FOUND") || message.contains("does not exist"), message);
            assertTrue(message.contains("/nonexistent/s3tables-pipeline/products.parquet"), message);

            Path failed = inbox().resolve(".failed").resolve("products.csv");
            assertTrue(Files.exists(failed));
            JsonNode sidecar = JSON.readTree(inbox().resolve(".failed").resolve("products.csv.error.json").toFile());
            assertEquals(report.get("runId").asText(), sidecar.get("runId").asText());
            assertEquals("load", sidecar.get("stage").asText());

            assertEquals(ClusterState.TERMINATED, moto.emr().listClusters().clusters().get(0).status().state());
        }
    }

    abstract static class AwsRun extends PipelineTestSupport {

        MotoHarness moto;

        @Override
        protected String profile() {
            return "aws";
        }

        @Override
        protected Properties testProperties() {
            moto = MotoHarness.current();
            moto.reset();
            Properties p = moto.awsProfileProperties();
            p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
            p.setProperty("pipeline.emr.waitInterval", "100ms");
            p.setProperty("pipeline.emr.waitTimeout", "120s");
            p.setProperty("pipeline.athena.pollInterval", "100ms");
            return p;
        }
    }
}
