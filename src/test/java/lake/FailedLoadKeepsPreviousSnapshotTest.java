package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import core.BadInputException;
import config.TableConfig;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import support.TableRows;

/** A load that fails (missing S3 object, corrupt Parquet) commits nothing: the previous snapshot stays current. */
class FailedLoadKeepsPreviousSnapshotTest extends LoadTestSupport {

    @Test
    void missingS3ObjectLeavesThePreviousSnapshot() throws Exception {
        TableConfig config = table(TableConfig.Mode.OVERWRITE);
        LoadResult loaded = loadProducts(config, 1, 20, "Acme");
        LoadRequest missing = new LoadRequest("run-missing", "s3://" + LocalS3.BUCKET + "/incoming/none.parquet",
                TestParquet.productSchema(), 20);

        Exception e = assertThrows(Exception.class,
                () -> new EmbeddedIcebergLoadEngine(config, s3.client()).load(missing));

        assertTrue(e.getMessage().contains("s3://uploads/incoming/none.parquet"), e.getMessage());
        assertUnchanged(config, loaded);
    }

    @Test
    void corruptParquetLeavesThePreviousSnapshotAndNoStrayDataFile() throws Exception {
        TableConfig config = table(TableConfig.Mode.OVERWRITE);
        LoadResult loaded = loadProducts(config, 1, 20, "Acme");
        Path good = TestParquet.write(dir.resolve("good.parquet"), TestParquet.productSchema(),
                TestParquet.products(1, 20, "Acme"));
        byte[] bytes = Files.readAllBytes(good);
        for (int i = 4; i < bytes.length / 2; i++) {
            bytes[i] = (byte) 0x5A; // pages destroyed, footer intact
        }
        Path corrupt = Files.write(dir.resolve("corrupt.parquet"), bytes);
        LoadRequest request = new LoadRequest("run-corrupt", s3.put("incoming/corrupt.parquet", corrupt),
                TestParquet.productSchema(), 20);

        assertThrows(BadInputException.class, () -> new EmbeddedIcebergLoadEngine(config, s3.client()).load(request));

        assertUnchanged(config, loaded);
    }

    @Test
    void notParquetAtAllIsBadInput() throws Exception {
        TableConfig config = table(TableConfig.Mode.OVERWRITE);
        LoadResult loaded = loadProducts(config, 1, 20, "Acme");
        Path text = Files.writeString(dir.resolve("products.csv"), "product_id,product_name\n1,Widget\n");
        LoadRequest request = new LoadRequest("run-csv", s3.put("incoming/products.parquet", text),
                TestParquet.productSchema(), 1);

        BadInputException e = assertThrows(BadInputException.class,
                () -> new EmbeddedIcebergLoadEngine(config, s3.client()).load(request));

        assertTrue(e.getMessage().contains("is not a readable Parquet file"), e.getMessage());
        assertUnchanged(config, loaded);
    }

    @Test
    void failedFirstLoadCreatesNoTable() throws Exception {
        TableConfig config = table(TableConfig.Mode.OVERWRITE);
        LoadRequest missing = new LoadRequest("run-missing", "s3://" + LocalS3.BUCKET + "/incoming/none.parquet",
                TestParquet.productSchema(), 20);

        assertThrows(Exception.class, () -> new EmbeddedIcebergLoadEngine(config, s3.client()).load(missing));

        try (IcebergTables tables = IcebergTables.open(config)) {
            assertFalse(tables.find().isPresent());
        }
    }

    private void assertUnchanged(TableConfig config, LoadResult loaded) throws Exception {
        Table table = IcebergTables.load(config);
        assertEquals(loaded.snapshotId(), table.currentSnapshot().snapshotId());
        assertEquals(20, TableRows.read(table).size());
        try (Stream<Path> files = Files.list(dir.resolve("warehouse/data/products/data"))) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".parquet")).count(), "no stray data file");
        }
    }
}
