package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import core.BadInputException;
import config.TableConfig;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import support.TableRows;

/** An input whose columns differ from the table's fails naming each differing column, and the table keeps its snapshot. */
class ChangedSchemaIsRejectedAndTableUnchangedTest extends LoadTestSupport {

    @Test
    void missingExtraAndRetypedColumnsAreNamedAndNothingIsCommitted() throws Exception {
        TableConfig config = table(TableConfig.Mode.OVERWRITE);
        LoadResult loaded = loadProducts(config, 1, 20, "Acme");
        Schema changed = SchemaBuilder.record("Product").fields()
                .requiredLong("product_id")
                .requiredString("product_name")
                .requiredString("product_category")
                .requiredString("maker")
                .endRecord();
        GenericRecord row = new GenericData.Record(changed);
        row.put("product_id", 1L);
        row.put("product_name", "Widget");
        row.put("product_category", "Tools");
        row.put("maker", "Initech");

        BadInputException e = assertThrows(BadInputException.class, () -> load(config, changed, List.of(row)));

        assertTrue(e.getMessage().contains("missing column brand (string)"), e.getMessage());
        assertTrue(e.getMessage().contains("extra column maker (string)"), e.getMessage());
        assertTrue(e.getMessage().contains("column product_id changed type from int to long"), e.getMessage());
        assertTrue(e.getMessage().contains("data.products"), e.getMessage());
        // no setting bridges a missing column and a changed type: the advice is another table, or dropping this one
        assertTrue(e.getMessage().contains("load it into another table (pipeline.table.name), or drop data.products"
                + " if it holds nothing to keep (bin/s3tables-pipeline drop-table data.products --yes)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("schemaEvolution"), e.getMessage());
        Table table = IcebergTables.load(config);
        assertEquals(loaded.snapshotId(), table.currentSnapshot().snapshotId());
        assertEquals(4, table.schema().columns().size());
        assertEquals(20, TableRows.read(table).size());
    }

    @Test
    void anExtraColumnWithoutEvolutionIsRejectedWithTheSettingThatAllowsIt() throws Exception {
        TableConfig config = table(TableConfig.Mode.APPEND);
        LoadResult loaded = loadProducts(config, 1, 20, "Acme");

        BadInputException e = assertThrows(BadInputException.class,
                () -> load(config, ProductRows.WITH_PRICE, ProductRows.priced(3)));

        assertTrue(e.getMessage().contains("extra column price (double)"), e.getMessage());
        assertTrue(e.getMessage().contains("pipeline.table.schemaEvolution=add-columns"), e.getMessage());
        assertEquals(loaded.snapshotId(), IcebergTables.load(config).currentSnapshot().snapshotId());
    }
}
