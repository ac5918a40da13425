package emr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import config.TableConfig;
import lake.CommitIdentity;
import lake.IcebergTables;
import lake.LoadRequest;
import lake.LoadResult;
import lake.TestParquet;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.emrserverless.model.ApplicationState;
import support.LocalSpark;
import support.ParquetFiles;
import support.TableRows;

/**
 * The EMR Serverless job run really runs: moto's harness executes its entry point, arguments and sparkSubmitParameters
 * with local Spark (S3 Tables catalog swapped for a Hadoop warehouse), so a load ends with a real Iceberg table, the
 * same input again ends SKIPPED on the same application, and the application is stopped after each run.
 */
class EmrServerlessJobRunsOnLocalSparkTest extends EmrServerlessOnMotoTest {

    @Test
    void aJobRunLoadsTheTableAndTheSameInputAgainIsSkippedOnTheSameApplication() throws Exception {
        Path warehouse = dir.resolve("warehouse");
        LocalSpark.sparkSubmit();
        moto.runJobRunsWithLocalSpark(warehouse, LocalSpark.icebergJar());
        List<GenericRecord> products = TestParquet.products(1, 20, "Acme");
        Path parquet = TestParquet.write(dir.resolve("products.parquet"), TestParquet.productSchema(), products);
        s3.putObject(b -> b.bucket(EmrTestSetup.BUCKET).key("data/products.parquet"), RequestBody.fromFile(parquet));
        Map<String, String> p = properties();
        p.put("pipeline.emr.scriptPath", Path.of("pyspark", "load_to_iceberg.py").toAbsolutePath().toString());
        p.put("pipeline.emrServerless.waitInterval", "250ms");
        p.put("pipeline.emrServerless.waitTimeout", "5m");
        String sha = "cd".repeat(32);

        LoadResult first;
        LoadResult again;
        try (EmrServerlessLoadEngine engine = engine(p)) {
            first = engine.load(new LoadRequest("run-1", EmrTestSetup.PARQUET, TestParquet.productSchema(), 20, sha));
            assertEquals(ApplicationState.STOPPED, applicationState(onlyApplication()), "stopped after the run");
            again = engine.load(new LoadRequest("run-2", EmrTestSetup.PARQUET, TestParquet.productSchema(), 20, sha));
        }

        Table table = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, warehouse, null, "data",
                                                         "products", TableConfig.Mode.OVERWRITE,
                                                         TableConfig.SchemaEvolution.NONE));
        assertEquals(table.currentSnapshot().snapshotId(), first.snapshotId(), "snapshot id from LOAD_SUMMARY");
        assertEquals(ParquetFiles.productRows(products), TableRows.productRows(table));
        assertEquals(sha, table.currentSnapshot().summary().get(CommitIdentity.INPUT_SHA256));
        assertEquals("already loaded in snapshot " + first.snapshotId() + " by run run-1"
                     + " (load ledger data.products_loads)", again.skipped());
        String id = onlyApplication();
        assertEquals(2, serverless.listJobRuns(b -> b.applicationId(id)).jobRuns().size());
        assertEquals(1, moto.emrServerlessCalls("CreateApplication"));
        assertEquals(ApplicationState.STOPPED, applicationState(id));
    }
}
