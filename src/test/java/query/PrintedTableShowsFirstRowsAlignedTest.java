package query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import config.TableConfig;
import org.junit.jupiter.api.Test;

/** The printed table holds the first printRows rows, aligned under their headers, and says how many rows there were. */
class PrintedTableShowsFirstRowsAlignedTest extends QueryTestSupport {

    @Test
    void firstThreeOfTwentyRows() throws Exception {
        TableConfig table = table(TableConfig.Mode.OVERWRITE);
        loadProducts(table, 1, 20, "Acme");

        QueryResult result = engine(table, 3).query(
                "SELECT product_id, product_name, NULL AS note FROM \"data\".\"products\" ORDER BY product_id");

        assertEquals(20, result.rowCount());
        assertEquals("""
                +------------+--------------+------+
                | product_id | product_name | note |
                +------------+--------------+------+
                | 1          | Product 1    | NULL |
                | 2          | Product 2    | NULL |
                | 3          | Product 3    | NULL |
                +------------+--------------+------+
                20 rows (first 3 shown)""", result.printedTable());
        assertEquals(21, lines(result.resultsFile()).size() - 1, "the CSV has all 20 rows and the header");
    }
}
