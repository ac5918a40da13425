package athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * References to the pipeline's table get the S3 Tables catalog; everything else is left as written. A query is one
 * statement that only reads, found outside strings, quoted names and comments.
 */
class AthenaSqlTest {

    static final String Q = "\"s3tablescatalog/shop\".\"data\".\"products\"";

    private static String qualify(String sql) {
        return AthenaSql.qualify(sql, Q, "data", "products");
    }

    @Test
    void qualifiesTheWalkthroughsQuery() {
        assertEquals("SELECT * FROM " + Q + ";", qualify("SELECT * FROM \"data\".\"products\";"));
        assertEquals("select count(*) from " + Q + " p", qualify("select count(*) from data.products p"));
        assertEquals("SELECT * FROM " + Q, qualify("SELECT * FROM products"));
        assertEquals("SELECT * FROM a JOIN " + Q + " ON 1=1", qualify("SELECT * FROM a JOIN products ON 1=1"));
    }

    @Test
    void leavesOtherReferencesAlone() {
        String already = "SELECT * FROM " + Q;
        assertEquals(already, qualify(already));
        assertEquals("SELECT products_id FROM data.products_old", qualify("SELECT products_id FROM data.products_old"));
        assertEquals("SELECT p.products FROM other.products", qualify("SELECT p.products FROM other.products"));
    }

    @Test
    void statementsAreFoundOutsideStringsQuotedNamesAndComments() {
        assertEquals(List.of("SELECT"), AthenaSql.firstWords("SELECT 'a;b', \"c;d\" FROM t -- x; DROP\n;"));
        assertEquals(List.of("WITH"), AthenaSql.firstWords("/* INSERT; */ with a AS (SELECT 1) SELECT * FROM a"));
        assertEquals(List.of("SELECT"), AthenaSql.firstWords("((SELECT 1)) UNION (SELECT 2)"));
        assertEquals(List.of("SELECT", "DROP"), AthenaSql.firstWords("SELECT 1; DROP TABLE t"));
        assertEquals(List.of("SELECT", "INSERT"), AthenaSql.firstWords("SELECT 'it''s'; INSERT INTO t VALUES (1)"));
    }

    @Test
    void onlyOneReadingStatementIsAccepted() {
        assertEquals(java.util.Optional.empty(), AthenaSql.readOnlyProblem("q", "SELECT * FROM products;"));
        assertEquals(java.util.Optional.empty(), AthenaSql.readOnlyProblem("q", "VALUES 1"));
        String two = AthenaSql.readOnlyProblem("q", "SELECT 1; SELECT 2").orElseThrow();
        assertTrue(two.startsWith("q must be one statement, it holds 2"), two);
        for (String writing : List.of("INSERT INTO t SELECT 1", "CREATE TABLE t AS SELECT 1", "UNLOAD (SELECT 1) TO"
                + " 's3://b/x' WITH (format = 'CSV')", "EXPLAIN ANALYZE INSERT INTO t VALUES 1", "DROP TABLE t")) {
            String problem = AthenaSql.readOnlyProblem("q", writing).orElseThrow();
            assertTrue(problem.startsWith("q must be one statement that only reads"), problem);
        }
    }
}
