package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import config.TableConfig;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import support.TableRows;

/** Two overwrite loads of 20 rows leave exactly the second 20 rows, committed as one overwrite snapshot. */
class OverwriteLoadReplacesTableContentsTest extends LoadTestSupport {

    @Test
    void secondOverwriteLeavesTwentyRowsNotForty() throws Exception {
        TableConfig config = table(TableConfig.Mode.OVERWRITE);

        LoadResult first = loadProducts(config, 1, 20, "Acme");
        LoadResult second = loadProducts(config, 101, 20, "Globex");

        assertEquals(new LoadResult("data.products", first.snapshotId(), 20, 0,
                first.ledgerEntry()), first);
        assertEquals("data.products_loads", first.ledgerEntry().ledger());
        assertEquals(20, second.rowsAdded());
        assertEquals(20, second.previousRowCount());
        Table table = IcebergTables.load(config);
        assertEquals(second.snapshotId(), table.currentSnapshot().snapshotId());
        assertEquals(first.snapshotId(), table.currentSnapshot().parentId(), "one commit, no intermediate empty state");
        assertEquals("overwrite", table.currentSnapshot().operation());
        assertEquals("20", table.currentSnapshot().summary().get("total-records"));
        List<Record> rows = TableRows.read(table);
        assertEquals(20, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.getField("brand").equals("Globex")));
        assertEquals(2, ((HasTableOperations) table).operations().current().formatVersion());
    }
}
