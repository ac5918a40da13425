package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A one-shot process of two datasets runs them one after another in the order of pipeline.datasets, so the second
 * one's query joins the table the first one loaded; the exit code covers both runs.
 */
class TwoDatasetsRunOnceInTheirOrderTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        productsThenOrdersOnce(p, "\"data\".\"products\"");
        return p;
    }

    @Test
    void productsFirstThenOrdersWhoseQueryJoinsThem() throws Exception {
        List<JsonNode> reports = awaitReports(2, Duration.ofSeconds(60));
        awaitExitCode(0);

        JsonNode products = reports.get(0);
        JsonNode orders = reports.get(1);
        assertEquals("products", products.path("dataset").asText(), reports.toString());
        assertEquals("orders", orders.path("dataset").asText(), reports.toString());
        assertEquals("SUCCEEDED", products.path("status").asText(), products.toString());
        assertEquals("SUCCEEDED", orders.path("status").asText(), orders.toString());
        assertFalse(Instant.parse(orders.path("startedAt").asText())
                        .isBefore(Instant.parse(products.path("finishedAt").asText())),
                "orders started after products ended: " + reports);
        Path results = Path.of(orders.path("query").path("resultsFile").asText());
        assertEquals("product_name,units", Files.readAllLines(results).get(0));
        assertEquals(UNITS_PER_PRODUCT, resultRows(orders));
    }
}
