package query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import config.TableConfig;
import org.junit.jupiter.api.Test;

/** DuckDB answers SQL over the table's current snapshot under its qualified name, with the right rows and counts. */
class DuckDbAnswersWhereGroupByOrderByTest extends QueryTestSupport {

    @Test
    void whereGroupByOrderBy() throws Exception {
        TableConfig table = table(TableConfig.Mode.APPEND);
        loadProducts(table, 1, 20, "Acme");
        loadProducts(table, 21, 20, "Globex");

        QueryResult result = engine(table, 20).query("""
                SELECT product_category, COUNT(*) AS products, MAX(product_id) AS last_id
                FROM "data"."products"
                WHERE brand = 'Globex' AND product_id <= 35
                GROUP BY product_category
                ORDER BY products DESC, product_category""");

        // ids 21..35: categories cycle id % 4 over Electronics, Books, Garden, Toys
        assertEquals(List.of("product_category", "products", "last_id"), result.columns());
        assertEquals(4, result.rowCount());
        assertEquals(List.of(
                "product_category,products,last_id",
                "Books,4,33",
                "Garden,4,34",
                "Toys,4,35",
                "Electronics,3,32",
                ""), lines(result.resultsFile()));
    }

    @Test
    void defaultSqlSeesOnlyTheCurrentSnapshotAndCountMatches() throws Exception {
        TableConfig table = table(TableConfig.Mode.OVERWRITE);
        loadProducts(table, 1, 20, "Acme");
        loadProducts(table, 101, 20, "Globex");
        DuckDbQueryEngine engine = engine(table, 20);

        QueryResult result = engine.query("SELECT * FROM \"data\".\"products\"");

        assertEquals(List.of("product_id", "product_name", "product_category", "brand"), result.columns());
        assertEquals(20, result.rowCount());
        assertEquals(20, engine.countRows());
        assertEquals(dir.resolve("results/run-1.csv"), result.resultsFile());
        assertEquals(22, lines(result.resultsFile()).size(), "header, 20 rows, and the final line break");
        assertEquals(0, lines(result.resultsFile()).stream().filter(l -> l.contains("Acme")).count());
    }

    /** The run's query reads the snapshot its count reconciled, even if a commit came in between. */
    @Test
    void theQueryReadsTheSnapshotTheCountCounted() throws Exception {
        TableConfig table = table(TableConfig.Mode.APPEND);
        loadProducts(table, 1, 20, "Acme");
        try (DuckDbQueryEngine engine = engine(table, 20)) {
            assertEquals(20, engine.countRows());
            loadProducts(table, 21, 20, "Globex");

            assertEquals(20, engine.query("SELECT * FROM \"data\".\"products\"").rowCount());
            assertEquals(40, engine.countRows(), "a new count, a new snapshot");
        }
    }
}
