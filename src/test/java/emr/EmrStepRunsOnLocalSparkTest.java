package emr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import config.TableConfig;
import lake.IcebergTables;
import lake.LoadRequest;
import lake.LoadResult;
import lake.TestParquet;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Table;
import lake.CommitIdentity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.s3.S3Client;
import support.LocalSpark;
import support.ParquetFiles;
import support.TableRows;

/**
 * The EMR step really runs: moto's harness executes the submitted spark-submit arguments with local Spark (S3 Tables
 * catalog swapped for a Hadoop warehouse), so a load ends with a real Iceberg table and a failure with Spark's error.
 */
@ExtendWith(MotoHarness.class)
class EmrStepRunsOnLocalSparkTest {

    @TempDir
    Path dir;

    private MotoHarness moto;
    private EmrClient emr;
    private S3Client s3;
    private Path warehouse;

    @BeforeEach
    void setUp(MotoHarness moto) throws Exception {
        this.moto = moto;
        moto.reset();
        emr = moto.emr();
        s3 = moto.s3();
        EmrTestSetup.createBucket(s3);
        warehouse = dir.resolve("warehouse");
        LocalSpark.sparkSubmit();
        moto.runStepsWithLocalSpark(warehouse, LocalSpark.icebergJar());
    }

    @Test
    void stepLoadsTheParquetIntoARealTable() throws Exception {
        List<GenericRecord> products = TestParquet.products(1, 20, "Acme");
        Path parquet = TestParquet.write(dir.resolve("products.parquet"), TestParquet.productSchema(), products);
        s3.putObject(b -> b.bucket(EmrTestSetup.BUCKET).key("data/products.parquet"), RequestBody.fromFile(parquet));

        LoadResult result;
        try (EmrLoadEngine engine = new EmrLoadEngine(EmrTestSetup.config(properties()), dir, emr, s3)) {
            result = engine.load(new LoadRequest("run-1", EmrTestSetup.PARQUET, TestParquet.productSchema(), 20));
        }

        Table table = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, warehouse, null, "data",
                                                         "products", TableConfig.Mode.OVERWRITE,
                                                         TableConfig.SchemaEvolution.NONE));
        assertEquals(table.currentSnapshot().snapshotId(), result.snapshotId(), "snapshot id from LOAD_SUMMARY");
        assertEquals(0, result.previousRowCount());
        assertEquals(ParquetFiles.productRows(products), TableRows.productRows(table));
        String clusterId = emr.listClusters(b -> { }).clusters().get(0).id();
        assertEquals(ClusterState.TERMINATED, state(clusterId));
    }

    @Test
    void theStepRecordsTheInputAndSkipsItTheSecondTime() throws Exception {
        Path parquet = TestParquet.write(dir.resolve("products.parquet"), TestParquet.productSchema(),
                TestParquet.products(1, 20, "Acme"));
        s3.putObject(b -> b.bucket(EmrTestSetup.BUCKET).key("data/products.parquet"), RequestBody.fromFile(parquet));
        String sha = "cd".repeat(32);

        LoadResult first;
        try (EmrLoadEngine engine = new EmrLoadEngine(EmrTestSetup.config(properties()), dir, emr, s3)) {
            first = engine.load(new LoadRequest("run-1", EmrTestSetup.PARQUET, TestParquet.productSchema(), 20, sha));
            LoadResult skipped = engine.load(
                    new LoadRequest("run-2", EmrTestSetup.PARQUET, TestParquet.productSchema(), 20, sha));
            assertEquals("already loaded in snapshot " + first.snapshotId() + " by run run-1"
                         + " (load ledger data.products_loads)", skipped.skipped());
        }
        Table table = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, warehouse, null, "data",
                                                         "products", TableConfig.Mode.OVERWRITE,
                                                         TableConfig.SchemaEvolution.NONE));
        assertEquals(first.snapshotId(), table.currentSnapshot().snapshotId(), "the second step committed nothing");
        assertEquals(sha, table.currentSnapshot().summary().get(CommitIdentity.INPUT_SHA256));
        for (var cluster : emr.listClusters(b -> { }).clusters()) {
            assertEquals(ClusterState.TERMINATED, state(cluster.id()), "a skipped run's cluster is terminated too");
        }
    }

    @Test
    void aMergeStepUpsertsOnTheKeyInOneMergeOnReadCommit() throws Exception {
        Map<String, String> merge = properties();
        merge.put("pipeline.table.mode", "merge");
        merge.put("pipeline.table.key", "product_id");
        List<GenericRecord> v1 = TestParquet.products(1, 100, "Acme");
        List<GenericRecord> v2 = TestParquet.products(91, 15, "Zeta");
        String v2Uri = "s3://" + EmrTestSetup.BUCKET + "/data/v2.parquet";
        s3.putObject(b -> b.bucket(EmrTestSetup.BUCKET).key("data/products.parquet"), RequestBody.fromFile(
                TestParquet.write(dir.resolve("v1.parquet"), TestParquet.productSchema(), v1)));
        s3.putObject(b -> b.bucket(EmrTestSetup.BUCKET).key("data/v2.parquet"), RequestBody.fromFile(
                TestParquet.write(dir.resolve("v2.parquet"), TestParquet.productSchema(), v2)));

        LoadResult merged;
        LoadResult again;
        try (EmrLoadEngine engine = new EmrLoadEngine(EmrTestSetup.config(merge), dir, emr, s3)) {
            engine.load(new LoadRequest("run-1", EmrTestSetup.PARQUET, TestParquet.productSchema(), 100,
                    "a1".repeat(32)));
            merged = engine.load(new LoadRequest("run-2", v2Uri, TestParquet.productSchema(), 15, "b2".repeat(32)));
            again = engine.load(new LoadRequest("run-3", v2Uri, TestParquet.productSchema(), 15, "b2".repeat(32)));
        }

        assertEquals(new LoadResult.Merged(5, 10, 0, 10), merged.merged());
        assertEquals(List.of(100L, 15L), List.of(merged.previousRowCount(), merged.rowsAdded()));
        assertTrue(again.skipped().startsWith("already loaded in snapshot " + merged.snapshotId() + " by run run-2"),
                again.skipped());
        Table table = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, warehouse, null, "data",
                                                         "products", TableConfig.Mode.OVERWRITE,
                                                         TableConfig.SchemaEvolution.NONE));
        List<GenericRecord> expected = new java.util.ArrayList<>(TestParquet.products(1, 90, "Acme"));
        expected.addAll(v2);
        assertEquals(ParquetFiles.productRows(expected), TableRows.productRows(table));
        assertEquals(merged.snapshotId(), table.currentSnapshot().snapshotId());
        assertEquals("merge", table.currentSnapshot().summary().get(CommitIdentity.MODE));
        assertEquals("10", table.currentSnapshot().summary().get("total-position-deletes"),
                "a table the job made merges on read: the 10 replaced rows deleted by position");
    }

    @Test
    void stepFailingInSparkCarriesSparksErrorAndTerminatesTheCluster() throws Exception {
        LoadRequest missing = new LoadRequest("run-2", "s3://" + EmrTestSetup.BUCKET + "/data/missing.parquet",
                                              TestParquet.productSchema(), 20);
        try (EmrLoadEngine engine = new EmrLoadEngine(EmrTestSetup.config(properties()), dir, emr, s3)) {
            EmrStepFailedException e = assertThrows(EmrStepFailedException.class, () -> engine.load(missing));
            assertTrue(e.getMessage().contains("ended FAILED"), e.getMessage());
            assertTrue(e.getMessage().contains("Step failed with exitCode 1"), e.getMessage());
            assertTrue(e.getMessage().contains("ERROR: input path does not exist"), "stderr.gz tail: " + e.getMessage());
            assertEquals(ClusterState.TERMINATED, state(e.clusterId()));
        }
        assertFalse(java.nio.file.Files.exists(warehouse.resolve("data").resolve("products")));
    }

    private Map<String, String> properties() throws Exception {
        Map<String, String> p = EmrTestSetup.properties(moto, dir);
        p.put("pipeline.emr.scriptPath", Path.of("pyspark", "load_to_iceberg.py").toAbsolutePath().toString());
        p.put("pipeline.emr.waitInterval", "250ms");
        p.put("pipeline.emr.waitTimeout", "3m");
        return p;
    }

    private ClusterState state(String clusterId) {
        return emr.describeCluster(b -> b.clusterId(clusterId)).cluster().status().state();
    }
}
