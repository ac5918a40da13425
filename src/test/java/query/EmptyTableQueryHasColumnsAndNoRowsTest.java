package query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import config.TableConfig;
import lake.IcebergTables;
import lake.TestParquet;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.avro.AvroSchemaUtil;
import org.junit.jupiter.api.Test;

/** A table with no snapshot yet answers with its columns and zero rows instead of failing. */
class EmptyTableQueryHasColumnsAndNoRowsTest extends QueryTestSupport {

    @Test
    void emptyTableHasColumnsAndNoRows() throws Exception {
        TableConfig table = table(TableConfig.Mode.OVERWRITE);
        try (IcebergTables tables = IcebergTables.open(table)) {
            tables.createNamespaceIfMissing();
            tables.catalog().createTable(tables.identifier(), AvroSchemaUtil.toIceberg(TestParquet.productSchema()),
                    PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
        }
        DuckDbQueryEngine engine = engine(table, 20);

        QueryResult result = engine.query(QueryConfigDefaultsTest.DEFAULT_SQL);

        assertEquals(List.of("product_id", "product_name", "product_category", "brand"), result.columns());
        assertEquals(0, result.rowCount());
        assertEquals(0, engine.countRows());
        assertEquals(List.of("product_id,product_name,product_category,brand", ""), lines(result.resultsFile()));
    }
}
