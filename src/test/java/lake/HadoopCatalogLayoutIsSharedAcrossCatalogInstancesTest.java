package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import config.TableConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.avro.AvroSchemaUtil;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.junit.jupiter.api.Test;
import support.TableRows;

/**
 * The warehouse has the layout of Spark's {@code type=hadoop} catalog: another HadoopCatalog instance, given the
 * warehouse as a {@code file:} URI as Spark is, reads what the engine wrote, and the engine appends to a table it
 * created.
 */
class HadoopCatalogLayoutIsSharedAcrossCatalogInstancesTest extends LoadTestSupport {

    @Test
    void anotherCatalogInstanceReadsTheLoadedTable() throws Exception {
        TableConfig config = table(TableConfig.Mode.OVERWRITE);
        LoadResult loaded = loadProducts(config, 1, 20, "Acme");

        Path tableDir = dir.resolve("warehouse/data/products");
        String version = Files.readString(tableDir.resolve("metadata/version-hint.text")).trim();
        assertTrue(Files.exists(tableDir.resolve("metadata/v" + version + ".metadata.json")));
        try (HadoopCatalog other = new HadoopCatalog(new Configuration(), dir.resolve("warehouse").toUri().toString())) {
            Table table = other.loadTable(TableIdentifier.of("data", "products"));
            assertEquals(loaded.snapshotId(), table.currentSnapshot().snapshotId());
            assertEquals(20, TableRows.read(table).size());
            assertTrue(IcebergTables.currentFiles(table).dataFiles().stream()
                    .allMatch(f -> f.contains(tableDir.resolve("data").toString())));
        }
    }

    @Test
    void theEngineAppendsToATableAnotherCatalogInstanceCreated() throws Exception {
        TableConfig config = table(TableConfig.Mode.APPEND);
        Schema schema = AvroSchemaUtil.toIceberg(TestParquet.productSchema());
        try (HadoopCatalog other = new HadoopCatalog(new Configuration(), dir.resolve("warehouse").toUri().toString())) {
            other.createNamespace(Namespace.of("data"));
            other.createTable(TableIdentifier.of("data", "products"), schema, PartitionSpec.unpartitioned(),
                    Map.of("format-version", "2"));
        }

        LoadResult loaded = loadProducts(config, 1, 20, "Acme");

        assertEquals(0, loaded.previousRowCount());
        try (HadoopCatalog other = new HadoopCatalog(new Configuration(), dir.resolve("warehouse").toString())) {
            List<?> rows = TableRows.read(other.loadTable(TableIdentifier.of("data", "products")));
            assertEquals(20, rows.size());
        }
    }
}
