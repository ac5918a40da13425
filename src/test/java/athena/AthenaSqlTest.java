package athena;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** References to the pipeline's table get the S3 Tables catalog; everything else is left as written. */
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
}
