package app;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;
import support.PyIceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code pipeline.table.deleteWhen} through the whole app (inbox, schema inferred, embedded engine): v1's rows, then
 * v2 with one row changed, one new and one marked for deletion leave the marked key gone, the run report counting it
 * as deleted, read alike by the app's DuckDB query and pyiceberg.
 */
class MergeDeleteMarkerRemovesTheKeyTest extends PipelineTestSupport {

    private static final String HEADER = "product_id,product_name,brand,deleted\n";

    @Override
    protected Properties testProperties() {
        Properties p = fastInbox();
        p.setProperty("pipeline.convert.schema", "");
        p.setProperty("pipeline.table.mode", "merge");
        p.setProperty("pipeline.table.key", "product_id");
        p.setProperty("pipeline.table.deleteWhen", "deleted");
        p.setProperty("pipeline.query.sql", "SELECT product_id, product_name, brand, deleted FROM \"data\".\"products\""
                + " ORDER BY product_id");
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        return p;
    }

    @Test
    void aMarkedRowRemovesItsKeyAndTheReportCountsIt() throws Exception {
        JsonNode v1 = run("v1.csv", HEADER + "1,Kettle,Acme,false\n2,Lamp,Acme,false\n3,Chair,Acme,false\n");
        assertEquals(3, v1.at("/merge/inserted").asLong(), v1.toString());

        JsonNode v2 = run("v2.csv", HEADER + "2,Lamp,Zeta,false\n3,Chair,Acme,true\n4,Desk,Zeta,false\n");

        assertEquals(1, v2.at("/merge/inserted").asLong(), v2.toString());
        assertEquals(1, v2.at("/merge/updated").asLong(), v2.toString());
        assertEquals(1, v2.at("/merge/deleted").asLong(), v2.toString());
        List<List<String>> expected = List.of(List.of("1", "Kettle", "Acme", "false"),
                List.of("2", "Lamp", "Zeta", "false"), List.of("4", "Desk", "Zeta", "false"));
        assertEquals(expected, resultRows(v2), "the app's DuckDB query");
        assertEquals(expected, PyIceberg.rows(dataDir.resolve("warehouse"), "data", "products"), "pyiceberg");
    }

    private JsonNode run(String name, String csv) throws Exception {
        drop(name, csv.getBytes(StandardCharsets.UTF_8));
        JsonNode report = awaitReportOfDrop(name);
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        return report;
    }
}
