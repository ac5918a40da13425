package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import config.TableConfig;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import support.TableRows;

/** Two append loads of 20 rows leave 40 rows, and the second load reports the 20 that were there before. */
class AppendLoadAddsRowsTest extends LoadTestSupport {

    @Test
    void twoAppendsLeaveFortyRows() throws Exception {
        TableConfig config = table(TableConfig.Mode.APPEND);

        LoadResult first = loadProducts(config, 1, 20, "Acme");
        LoadResult second = loadProducts(config, 21, 20, "Acme");

        assertEquals(0, first.previousRowCount());
        assertEquals(20, second.previousRowCount());
        assertEquals(20, second.rowsAdded());
        Table table = IcebergTables.load(config);
        assertEquals("append", table.currentSnapshot().operation());
        assertEquals(40, TableRows.read(table).size());
        assertEquals(2, IcebergTables.currentFiles(table).dataFiles().size());
    }
}
