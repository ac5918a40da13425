package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import config.TableConfig;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import support.TableRows;

/** With schemaEvolution=add-columns a new input column is added as nullable; rows loaded before read it as null. */
class AddColumnsEvolutionAddsNullableColumnTest extends LoadTestSupport {

    @Test
    void newColumnIsAddedAsOptionalAndOldRowsReadNull() throws Exception {
        TableConfig config = table(TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.ADD_COLUMNS);
        LoadResult before = loadProducts(config, 1, 20, "Acme");

        LoadResult after = load(config, ProductRows.WITH_PRICE, ProductRows.priced(5));

        Table table = IcebergTables.load(config);
        Types.NestedField price = table.schema().findField("price");
        assertTrue(price.isOptional());
        assertEquals(Types.DoubleType.get(), price.type());
        assertEquals(before.snapshotId(), table.currentSnapshot().parentId(), "schema change and rows in one commit");
        assertEquals(after.snapshotId(), table.currentSnapshot().snapshotId());
        List<Record> rows = TableRows.read(table);
        assertEquals(25, rows.size());
        assertEquals(20, rows.stream().filter(r -> r.getField("price") == null).count());
        Record priced = rows.stream().filter(r -> (int) r.getField("product_id") == 1002).findFirst().orElseThrow();
        assertEquals(2.5, priced.getField("price"));
        assertNull(rows.stream().filter(r -> (int) r.getField("product_id") == 1).findFirst().orElseThrow()
                .getField("price"));
    }
}
