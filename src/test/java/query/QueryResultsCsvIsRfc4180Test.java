package query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import config.TableConfig;
import lake.ProductRows;
import org.junit.jupiter.api.Test;

/** The results file holds every row as RFC 4180 CSV in UTF-8: header first, CRLF, quoted commas, quotes and breaks. */
class QueryResultsCsvIsRfc4180Test extends QueryTestSupport {

    @Test
    void awkwardValuesAreQuotedAndNullsAreEmpty() throws Exception {
        TableConfig table = table(TableConfig.Mode.OVERWRITE);
        load(table, ProductRows.NULLABLE_BRAND, List.of(
                ProductRows.withNullableBrand(1, "Café 日本", "Food", "Acme, Inc."),
                ProductRows.withNullableBrand(2, "The \"best\" chair", "Home", null),
                ProductRows.withNullableBrand(3, "two\nlines", "Home", "plain")));

        QueryResult result = engine(table, 1).query(
                "SELECT product_id, product_name, brand FROM \"data\".\"products\" ORDER BY product_id");

        assertEquals(3, result.rowCount());
        assertEquals("product_id,product_name,brand\r\n"
                     + "1,Café 日本,\"Acme, Inc.\"\r\n"
                     + "2,\"The \"\"best\"\" chair\",\r\n"
                     + "3,\"two\nlines\",plain\r\n",
                Files.readString(result.resultsFile(), StandardCharsets.UTF_8));
    }

    /** Times keep their seconds, a fraction shows only when there is one, and a time zone is DuckDB's offset. */
    @Test
    void timesAreWrittenWithTheirSeconds() throws Exception {
        TableConfig table = table(TableConfig.Mode.OVERWRITE);
        load(table, ProductRows.NULLABLE_BRAND, List.of(ProductRows.withNullableBrand(1, "Lamp", "Home", "BenQ")));

        QueryResult result = engine(table, 1).query("SELECT TIMESTAMP '2024-01-01 10:00:00' AS t,"
                + " TIMESTAMP '2024-01-01 10:00:05.25' AS f, TIMESTAMPTZ '2024-01-01 10:00:00+00' AS z, TIME '10:00' AS h,"
                + " CAST(NULL AS TIMESTAMP) AS n, DATE '2024-01-01' AS d FROM \"data\".\"products\"");

        assertEquals("t,f,z,h,n,d\r\n2024-01-01 10:00:00,2024-01-01 10:00:05.25,2024-01-01 10:00:00+00,10:00:00,,2024-01-01\r\n",
                Files.readString(result.resultsFile(), StandardCharsets.UTF_8));
    }
}
