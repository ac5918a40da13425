package app;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import emr.MotoHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.emr.model.ClusterState;
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
class EmrStepOnS3TablesIsReadByAthenaTest extends PipelineTestSupport {

    static final String BUCKET = "s3-general-purpose-ecommerce";
    static final String ATHENA_RESULTS = "athena-results-ecommerce";
    static final String TABLE_BUCKET = "ecommerce-lakehouse";

    MotoHarness moto;
    MiniStack miniStack;

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
        String tableBucketArn = miniStack.createTableBucket(TABLE_BUCKET);
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
        p.setProperty("pipeline.once", samplePath().toString());
        p.setProperty("pipeline.s3.endpoint", motoEndpoint);
        p.setProperty("pipeline.s3.region", MotoHarness.REGION);
        p.setProperty("pipeline.s3.pathStyle", "true");
        p.setProperty("pipeline.s3.createBucket", "true");
        p.setProperty("pipeline.s3tables.tableBucketArn", tableBucketArn);
        p.setProperty("pipeline.emr.endpoint", motoEndpoint);
        p.setProperty("pipeline.emr.region", MotoHarness.REGION);
        p.setProperty("pipeline.emr.scriptPath",
                java.nio.file.Path.of("pyspark", "load_to_iceberg.py").toAbsolutePath().toString());
        p.setProperty("pipeline.emr.waitInterval", "200ms");
        p.setProperty("pipeline.emr.waitTimeout", "240s");
        p.setProperty("pipeline.athena.endpoint", miniStack.endpoint().toString());
        p.setProperty("pipeline.athena.region", MiniStack.REGION);
        p.setProperty("pipeline.athena.outputLocation", "s3://" + ATHENA_RESULTS + "/");
        p.setProperty("pipeline.athena.pollInterval", "100ms");
        return p;
    }

    @Test
    void athenaReadsTheRowsSparkWrote() throws Exception {
        JsonNode report = awaitReports(1, java.time.Duration.ofSeconds(240)).get(0);
        assertEquals("SUCCEEDED", report.get("status").asText(),
                report + moto.log().orElse("") + miniStack.logTail());
        assertEquals(20, report.get("queryRows").asLong());
        List<List<String>> rows = new ArrayList<>(rowsOf(java.nio.file.Files.readString(
                java.nio.file.Path.of(report.get("resultsFile").asText()))));
        rows.sort(Comparator.comparing(row -> Integer.parseInt(row.get(0))));
        assertEquals(sampleRows(), rows);
        assertEquals(List.of(List.of("20")), miniStack.athenaRows("SELECT COUNT(*) FROM \"s3tablescatalog/"
                + TABLE_BUCKET + "\".\"data\".\"products\"", "s3://" + ATHENA_RESULTS + "/check/"));
        assertEquals(ClusterState.TERMINATED, moto.emr().listClusters().clusters().get(0).status().state());
    }
}
