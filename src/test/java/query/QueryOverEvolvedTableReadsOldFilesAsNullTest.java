package query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import config.TableConfig;
import lake.ProductRows;
import org.junit.jupiter.api.Test;

/** After add-columns evolution, rows from data files written before the new column read it as NULL in DuckDB. */
class QueryOverEvolvedTableReadsOldFilesAsNullTest extends QueryTestSupport {

    @Test
    void oldFilesLackTheAddedColumn() throws Exception {
        TableConfig table = table(TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.ADD_COLUMNS);
        loadProducts(table, 1, 2, "Acme");
        load(table, ProductRows.WITH_PRICE, List.of(ProductRows.withPrice(3, 9.5)));

        QueryResult result = engine(table, 20).query(
                "SELECT product_id, price FROM \"data\".\"products\" ORDER BY product_id");

        assertEquals(List.of("product_id,price", "1,", "2,", "3,9.5", ""), lines(result.resultsFile()));
    }
}
