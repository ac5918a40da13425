package config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pipeline.datasets: each dataset's pipeline.dataset.<name>.* over the shared pipeline.* values. */
class DatasetsFromPropertiesTest {

    private final Map<String, String> properties = new HashMap<>(Map.of("pipeline.data.dir", "/srv/p",
            "pipeline.s3.bucket", "s3-general-purpose-ecommerce"));

    private Settings settings() {
        return new Settings(key -> Optional.ofNullable(properties.get(key)));
    }

    @Test
    void withoutDatasetsThePipelinePropertiesAreTheOneDatasetWithTheFoldersOfOld() {
        Settings s = settings();
        Datasets datasets = Datasets.load(s);

        assertEquals(List.of(), s.problems());
        assertEquals(1, datasets.all().size());
        PipelineConfig only = datasets.all().get(0);
        assertEquals("products", only.dataset());
        assertEquals(Path.of("/srv/p/inbox"), only.inbox().dir());
        assertEquals(Path.of("/srv/p/state"), only.stateDir());
        assertEquals("SELECT * FROM \"data\".\"products\"", only.query().sql());
        assertEquals(1, datasets.maxConcurrentRuns());
    }

    @Test
    void eachDatasetOverridesWhatItSetsAndSharesTheRest() {
        properties.put("pipeline.datasets", "products, orders");
        properties.put("pipeline.maxConcurrentRuns", "2");
        properties.put("pipeline.table.mode", "append");
        properties.put("pipeline.dataset.orders.table.name", "orders");
        properties.put("pipeline.dataset.orders.convert.schema", "classpath:schemas/orders.avsc");
        properties.put("pipeline.dataset.orders.source.url", "https://example.com/orders.csv");
        Settings s = settings();

        Datasets datasets = Datasets.load(s);

        assertEquals(List.of(), s.problems());
        assertEquals(2, datasets.maxConcurrentRuns());
        PipelineConfig products = datasets.all().get(0);
        PipelineConfig orders = datasets.all().get(1);
        assertEquals("products", products.dataset());
        assertEquals("data.products", products.table().qualifiedName());
        assertEquals(Path.of("/srv/p/inbox/products"), products.inbox().dir());
        assertEquals(Path.of("/srv/p/state/products"), products.stateDir());
        assertTrue(products.source().url().isEmpty(), "the orders' source is theirs alone");
        assertEquals("orders", orders.dataset());
        assertEquals("data.orders", orders.table().qualifiedName());
        assertEquals(TableConfig.Mode.APPEND, orders.table().mode(), "not overridden: the shared value");
        assertEquals(Optional.of("classpath:schemas/orders.avsc"), orders.convert().schema());
        assertEquals("https://example.com/orders.csv", orders.source().url().orElseThrow().toString());
        assertEquals(Path.of("/srv/p/inbox/orders"), orders.inbox().dir());
        assertEquals(Path.of("/srv/p/state/orders"), orders.stateDir());
        assertEquals("SELECT * FROM \"data\".\"orders\"", orders.query().sql(), "the default query follows the table");
        assertFalse(datasets.oneShot());
    }

    @Test
    void aDatasetThatNamesNoSchemaHasItInferredAndProductsKeepsTheBundledOne() {
        properties.put("pipeline.datasets", "products,trips,orders");
        properties.put("pipeline.dataset.trips.table.name", "trips");
        properties.put("pipeline.dataset.orders.table.name", "orders");
        // the app's lookup reads application.properties as well: the default counts as not given
        properties.put("pipeline.convert.schema", "classpath:schemas/products.avsc");
        properties.put("pipeline.dataset.orders.convert.schema", " ");
        Settings s = settings();

        Datasets datasets = Datasets.load(s);

        assertEquals(List.of(), s.problems());
        assertEquals(Optional.of("classpath:schemas/products.avsc"), datasets.all().get(0).convert().schema());
        assertEquals(Optional.empty(), datasets.all().get(1).convert().schema(), "trips names none: inferred");
        assertEquals(Optional.empty(), datasets.all().get(2).convert().schema(), "set empty: inferred");
    }

    @Test
    void aBadValueIsNamedWithTheDatasetAndThePropertyAsWritten() {
        properties.put("pipeline.datasets", "products,orders");
        properties.put("pipeline.dataset.orders.table.name", "orders-2024");
        properties.put("pipeline.dataset.orders.convert.onBadRow", "ignore");
        Settings s = settings();

        Datasets.load(s);

        assertEquals(2, s.problems().size(), s.problems().toString());
        assertTrue(s.problems().stream().anyMatch(p -> p.startsWith("dataset orders: pipeline.dataset.orders.table.name"
                                                                     + " must be 1 to 255")), s.problems().toString());
        assertTrue(s.problems().stream().anyMatch(p -> p.startsWith("dataset orders: pipeline.dataset.orders.convert"
                                                                     + ".onBadRow")), s.problems().toString());
    }

    /** Settings refused at start-up, and the one problem that says why. */
    record Refused(String what, Map<String, String> settings, String problem) {

        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Refused> refusedSettings() {
        return Stream.of(
                new Refused("a problem of a shared property is said once", Map.of(
                        "pipeline.datasets", "products,orders",
                        "pipeline.dataset.orders.table.name", "orders",
                        "pipeline.s3.bucket", "Not_A_Bucket"),
                        "pipeline.s3.bucket must be a valid bucket name (3-63 characters: a-z, 0-9, '.', '-'), was"
                        + " Not_A_Bucket"),
                new Refused("an input set for every dataset", Map.of(
                        "pipeline.datasets", "products,orders",
                        "pipeline.dataset.orders.table.name", "orders",
                        "pipeline.once", "samples/products.csv"),
                        "pipeline.once would be the input of every dataset of pipeline.datasets=products,orders; set it"
                        + " for one dataset, as pipeline.dataset.products.once"),
                new Refused("two datasets overwriting one table", Map.of(
                        "pipeline.datasets", "products,orders"),
                        "datasets products and orders both load table data.products in overwrite mode, each erasing"
                        + " the other's rows; set pipeline.dataset.orders.table.name"),
                new Refused("two datasets uploading to one key", Map.of(
                        "pipeline.datasets", "products,orders",
                        "pipeline.dataset.orders.table.name", "orders",
                        "pipeline.s3.key", "data/{date}/input.parquet"),
                        "datasets products and orders both upload to s3-general-purpose-ecommerce/data/{date}/"
                        + "input.parquet (pipeline.s3.key = data/{date}/input.parquet), each replacing the other's"
                        + " file; put {dataset} in pipeline.s3.key or set pipeline.dataset.orders.s3.key"),
                new Refused("two datasets watching one inbox", Map.of(
                        "pipeline.datasets", "products,orders",
                        "pipeline.dataset.orders.table.name", "orders",
                        "pipeline.dataset.products.inbox.dir", "/srv/drops",
                        "pipeline.dataset.orders.inbox.dir", "/srv/drops/"),
                        "datasets products and orders both watch the inbox /srv/drops, each reading the other's files;"
                        + " set pipeline.dataset.orders.inbox.dir to a folder of its own"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedSettings")
    void settingsThatCannotWorkAreRefusedSayingWhyOnce(Refused refused) {
        properties.putAll(refused.settings());
        Settings s = settings();

        Datasets.load(s);

        assertEquals(List.of(refused.problem()), s.problems());
    }

    @Test
    void twoDatasetsUploadingToAKeyOfEachRunAreAccepted() {
        properties.put("pipeline.datasets", "products,orders");
        properties.put("pipeline.dataset.orders.table.name", "orders");
        properties.put("pipeline.s3.key", "data/{runId}.parquet");
        Settings byRun = settings();

        Datasets.load(byRun);

        assertEquals(List.of(), byRun.problems());
    }

    @Test
    void badDatasetNamesAreRefused() {
        properties.put("pipeline.datasets", "products,Orders 2,products");
        Settings s = settings();

        Datasets.load(s);

        assertTrue(s.problems().contains("pipeline.datasets: a dataset name must be " + Names.RULE + ", was"
                   + " 'Orders 2'"),
                s.problems().toString());
        assertTrue(s.problems().contains("pipeline.datasets names products twice"), s.problems().toString());
    }
}
