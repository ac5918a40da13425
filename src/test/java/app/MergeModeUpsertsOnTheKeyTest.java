package app;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.LocalSpark;
import support.PipelineTestSupport;
import support.PyIceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pipeline.table.mode=merge} through the whole app (inbox, embedded engine, local warehouse): v1's 1,000 rows,
 * then v2 (100 of them changed, 50 new) leave 1,050 rows with v2's values, read alike by the app's DuckDB query,
 * pyiceberg and Spark; v2 dropped again is SKIPPED; two rows with one key fail the run naming both lines.
 */
class MergeModeUpsertsOnTheKeyTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = fastInbox();
        p.setProperty("pipeline.table.mode", "merge");
        p.setProperty("pipeline.table.key", "product_id");
        p.setProperty("pipeline.query.sql", "SELECT * FROM \"data\".\"products\" ORDER BY product_id");
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        return p;
    }

    @Test
    void v2ReplacesChangedRowsAndAddsNewOnesAlikeForEveryReader() throws Exception {
        JsonNode v1 = run("v1.csv", products(1, 1000, "Acme"));
        assertEquals(1000, v1.at("/merge/inserted").asLong(), v1.toString());

        JsonNode v2 = run("v2.csv", products(901, 150, "Zeta"));

        assertEquals(50, v2.at("/merge/inserted").asLong(), v2.toString());
        assertEquals(100, v2.at("/merge/updated").asLong());
        assertEquals(0, v2.at("/merge/deleted").asLong());
        List<List<String>> expected = new ArrayList<>(rowsOf(products(1, 900, "Acme")));
        expected.addAll(rowsOf(products(901, 150, "Zeta")));
        assertEquals(1050, v2.at("/query/rows").asLong());
        assertEquals(expected, resultRows(v2), "the app's DuckDB query");
        assertEquals(expected, PyIceberg.rows(dataDir.resolve("warehouse"), "data", "products"), "pyiceberg");
        List<List<String>> spark = new ArrayList<>();
        for (JsonNode row : LocalSpark.tableRows(dataDir.resolve("warehouse"), "data.products")) {
            spark.add(List.of(row.get("product_id").asText(), row.get("product_name").asText(),
                    row.get("product_category").asText(), row.get("brand").asText()));
        }
        assertEquals(expected, spark, "Spark");

        drop("v2-again.csv", products(901, 150, "Zeta").getBytes(StandardCharsets.UTF_8));
        JsonNode again = awaitReportOfDrop("v2-again.csv");
        assertEquals("SKIPPED", again.get("status").asText(), again.toString());
        assertTrue(again.get("reason").asText().contains("by run " + v2.get("runId").asText()), again.toString());
    }

    @Test
    void twoRowsWithOneKeyFailTheRunNamingBothLines() throws Exception {
        drop("twice.csv", ("product_id,product_name,product_category,brand\n1,A,Books,Acme\n2,B,Books,Acme\n"
                           + "3,\"C\nover two lines\",Books,Acme\n2,D,Books,Zeta\n").getBytes(StandardCharsets.UTF_8));

        JsonNode report = awaitReportOfDrop("twice.csv");

        assertEquals("FAILED", report.get("status").asText(), report.toString());
        assertEquals("convert", report.at("/error/stage").asText());
        String message = report.at("/error/message").asText();
        assertTrue(message.contains("have the key product_id = 2: lines 3 and 6"), message);
        assertTrue(message.contains("set pipeline.table.onDuplicateKey to last"), message);
    }

    private JsonNode run(String name, String csv) throws Exception {
        drop(name, csv.getBytes(StandardCharsets.UTF_8));
        JsonNode report = awaitReportOfDrop(name);
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        return report;
    }

    /** {@code count} products from {@code firstId}, each of {@code brand}. */
    static String products(int firstId, int count, String brand) {
        StringBuilder csv = new StringBuilder("product_id,product_name,product_category,brand\n");
        for (int id = firstId; id < firstId + count; id++) {
            csv.append(id).append(",Product ").append(id).append(',').append(id % 2 == 0 ? "Books" : "Garden")
                    .append(',').append(brand).append('\n');
        }
        return csv.toString();
    }
}
