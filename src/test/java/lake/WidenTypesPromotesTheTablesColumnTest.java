package lake;

import java.util.ArrayList;
import java.util.List;

import config.TableConfig;
import core.BadInputException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import support.TableRows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An input whose product_id needs a long, appended to a table whose product_id is an int: refused naming
 * pipeline.table.widenTypes, and with it set the column becomes a long in the load's own commit, rows loaded before
 * reading as they were.
 */
class WidenTypesPromotesTheTablesColumnTest extends LoadTestSupport {

    private static final Schema WIDE = SchemaBuilder.record("Product").fields()
            .requiredLong("product_id")
            .requiredString("product_name")
            .requiredString("product_category")
            .optionalString("brand")
            .endRecord();

    @Test
    void refusedWithoutTheSettingAndWidenedWithIt() throws Exception {
        TableConfig narrow = table(TableConfig.Mode.APPEND);
        LoadResult before = loadProducts(narrow, 1, 20, "Acme");

        BadInputException refused = assertThrows(BadInputException.class, () -> load(narrow, WIDE, rows()));
        TableConfig widening = new TableConfig(TableConfig.Catalog.HADOOP, narrow.warehouse(), null, "data",
                "products", TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE, java.util.Optional.empty(),
                false, true);
        LoadResult after = load(widening, WIDE, rows());

        assertTrue(refused.getMessage().contains("column product_id changed type from int to long"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("set pipeline.table.widenTypes=true"), refused.getMessage());
        Table table = IcebergTables.load(widening);
        assertEquals(Types.LongType.get(), table.schema().findField("product_id").type());
        assertTrue(table.schema().findField("brand").isOptional());
        assertEquals(before.snapshotId(), table.currentSnapshot().parentId(), "widened and loaded in one commit");
        assertEquals(after.snapshotId(), table.currentSnapshot().snapshotId());
        List<Long> ids = TableRows.read(table).stream().map(r -> (Long) r.getField("product_id")).sorted().toList();
        assertEquals(22, ids.size());
        assertEquals(1L, ids.get(0));
        assertEquals(5_000_000_001L, ids.get(21));
    }

    private static List<GenericRecord> rows() {
        List<GenericRecord> rows = new ArrayList<>();
        for (long id : new long[] {5_000_000_000L, 5_000_000_001L}) {
            GenericRecord row = new GenericData.Record(WIDE);
            row.put("product_id", id);
            row.put("product_name", "Product " + id);
            row.put("product_category", "Books");
            row.put("brand", null);
            rows.add(row);
        }
        return rows;
    }
}
