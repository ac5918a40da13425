package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** pipeline.query.sql with WHERE, GROUP BY and ORDER BY answers over the loaded table, results kept as CSV. */
class QuerySqlComesFromPropertiesTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        p.setProperty("pipeline.once", samplePath().toString());
        p.setProperty("pipeline.query.sql", "SELECT product_category, COUNT(*) AS products FROM \"data\".\"products\""
                                            + " WHERE product_id > 2 GROUP BY product_category"
                                            + " ORDER BY products DESC, product_category");
        return p;
    }

    @Test
    void groupedCountsPerCategory() throws Exception {
        JsonNode report = awaitReport();
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());

        List<String> csv = Files.readAllLines(Path.of(report.path("query").path("resultsFile").asText()));
        assertEquals(List.of("product_category,products", "Electronics,3", "Home,3", "Apparel,2", "Kitchen,2",
                "Outdoor,2", "Footwear,1", "Grocery,1", "Personal Care,1", "Sports,1", "Tools,1", "Toys,1"), csv);
        assertEquals(11, report.path("query").get("rows").asLong());
    }
}
