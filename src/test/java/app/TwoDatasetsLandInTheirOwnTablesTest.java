package app;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.Datasets;
import config.PipelineConfig;
import lake.IcebergTables;
import org.junit.jupiter.api.Test;
import support.LocalSpark;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two datasets from properties in one process: products and orders, each dropped in its own inbox folder, each lands
 * in its own table, and the orders' query joins the two. Spark reads the orders table the embedded engine wrote, its
 * decimals and timestamps exact.
 */
class TwoDatasetsLandInTheirOwnTablesTest extends PipelineTestSupport {

    private static final String JOIN = "SELECT o.order_id, p.product_name, o.quantity * o.unit_price AS amount"
            + " FROM \"data\".\"orders\" o JOIN \"data\".\"products\" p ON p.product_id = o.product_id"
            + " ORDER BY o.order_id";

    @Override
    protected Properties testProperties() {
        Properties p = fastInbox();
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        p.setProperty("pipeline.datasets", "products,orders");
        p.setProperty("pipeline.dataset.orders.convert.schema", "classpath:schemas/orders.avsc");
        p.setProperty("pipeline.dataset.orders.table.name", "orders");
        p.setProperty("pipeline.dataset.orders.query.sql", JOIN);
        return p;
    }

    @Test
    void eachDropLandsInItsOwnTableAndTheJoinAnswers() throws Exception {
        dropInto("products", samplePath());
        JsonNode products = awaitReport(r -> "products".equals(r.path("dataset").asText()), TIMEOUT);
        assertEquals("SUCCEEDED", products.path("status").asText(), products.toString());
        dropInto("orders", ordersPath());
        JsonNode orders = awaitReport(r -> "orders".equals(r.path("dataset").asText()), TIMEOUT);
        assertEquals("SUCCEEDED", orders.path("status").asText(), orders.toString());

        assertEquals("data.products", products.path("table").asText());
        assertEquals("data.orders", orders.path("table").asText());
        assertEquals("20", snapshotRows("products"));
        assertEquals("8", snapshotRows("orders"));
        assertTrue(Files.exists(dataDir.resolve("inbox/products/.done/products.csv")), "products moved to its .done/");
        assertTrue(Files.exists(dataDir.resolve("inbox/orders/.done/orders.csv")), "orders moved to its .done/");
        assertNotNull(context.getRoute("orders-inbox"), "route ids carry the dataset");
        assertNotNull(context.getRoute("products-load"), "route ids carry the dataset");

        List<String> joined = Files.readAllLines(Path.of(orders.path("query").path("resultsFile").asText()));
        assertEquals(expectedJoin(), joined);

        List<String> spark = new ArrayList<>();
        for (JsonNode row : LocalSpark.tableRows(dataDir.resolve("warehouse"), "data.orders")) {
            spark.add(String.join(",", row.get("order_id").asText(), row.get("product_id").asText(),
                    row.get("quantity").asText(), row.get("unit_price").asText(),
                    row.get("ordered_at").asText().replace(' ', 'T') + "Z"));
        }
        assertEquals(Files.readAllLines(ordersPath()).subList(1, 9), spark);
    }

    private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(60);

    private void dropInto(String dataset, Path file) throws Exception {
        drop(dataDir.resolve("inbox").resolve(dataset), file.getFileName().toString(), Files.readAllBytes(file));
    }

    private String snapshotRows(String dataset) {
        PipelineConfig config = context.getRegistry().findSingleByType(Datasets.class).all().stream()
                .filter(c -> c.dataset().equals(dataset)).findFirst().orElseThrow();
        return IcebergTables.load(config.table()).currentSnapshot().summary().get("total-records");
    }

    /** The join computed here from the two sample files: order id, product name, quantity times unit price. */
    private static List<String> expectedJoin() throws Exception {
        Map<String, String> names = new HashMap<>();
        for (List<String> product : sampleRows()) {
            names.put(product.get(0), product.get(1));
        }
        List<String> lines = new ArrayList<>();
        lines.add("order_id,product_name,amount");
        for (String line : Files.readAllLines(ordersPath()).subList(1, 9)) {
            String[] order = line.split(",");
            BigDecimal amount = new BigDecimal(order[2]).multiply(new BigDecimal(order[3]));
            lines.add(order[0] + "," + names.get(order[1]) + "," + amount.toPlainString());
        }
        return lines;
    }

    private static Path ordersPath() {
        return Path.of("samples/orders.csv").toAbsolutePath();
    }
}
