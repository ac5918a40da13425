package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import config.TableConfig;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import support.TableRows;

/** With pipeline.table.catalog=jdbc (SQLite) the table is registered in the database and loads and reads like Hadoop's. */
class JdbcCatalogLoadsAndReadsTableTest extends LoadTestSupport {

    @Test
    void overwriteTwiceThroughSqliteCatalog() throws Exception {
        TableConfig config = new TableConfig(TableConfig.Catalog.JDBC, dir.resolve("warehouse"),
                "jdbc:sqlite:" + dir.resolve("catalog.db"), "data", "products", TableConfig.Mode.OVERWRITE,
                TableConfig.SchemaEvolution.NONE);

        loadProducts(config, 1, 20, "Acme");
        LoadResult second = loadProducts(config, 21, 20, "Acme");

        assertEquals(20, second.previousRowCount());
        Table table = IcebergTables.load(config);
        assertEquals(second.snapshotId(), table.currentSnapshot().snapshotId());
        assertEquals(20, TableRows.read(table).size());
        assertEquals(1, IcebergTables.currentFiles(table).dataFiles().size());
    }
}
