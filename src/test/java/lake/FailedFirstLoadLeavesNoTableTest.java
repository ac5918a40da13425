package lake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import config.MergeConfig;
import config.TableConfig;
import core.RowLines;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A new table (and a namespace) exists only once a load commits to it, in a local catalog (Hadoop, JDBC): asking for
 * its field ids ahead of the convert creates nothing, a load that fails before its commit leaves no table, no
 * namespace it created and no folder in the warehouse (a merge's first load as well), and a table dropped with its files is gone from the catalog and
 * the disk.
 */
class FailedFirstLoadLeavesNoTableTest extends LoadTestSupport {

    @ParameterizedTest
    @EnumSource(value = TableConfig.Catalog.class, names = {"HADOOP", "JDBC"})
    void aLoadThatFailsBeforeItsCommitLeavesNoTableAndNoNamespace(TableConfig.Catalog catalog) throws Exception {
        TableConfig config = table(catalog, "fresh", "typo");
        EmbeddedIcebergLoadEngine engine = new EmbeddedIcebergLoadEngine(config, s3.client());
        assertArrayEquals(new int[] {1, 2, 3, 4}, engine.fieldIds(TestParquet.productSchema()));
        assertNothing(config);

        // a file whose columns carry other ids: the load refuses it once the namespace and the create are under way
        Path file = TestParquet.write(dir.resolve("other-ids.parquet"), TestParquet.productSchema(),
                new int[] {11, 12, 13, 14}, TestParquet.products(1, 3, "Acme"));
        LoadRequest request = new LoadRequest("run-other-ids", s3.put("incoming/other-ids.parquet", file),
                TestParquet.productSchema(), 3);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> engine.load(request));

        assertTrue(refused.getMessage().contains("do not carry the field ids"), refused.getMessage());
        assertNothing(config);
    }

    @ParameterizedTest
    @EnumSource(value = TableConfig.Catalog.class, names = {"HADOOP", "JDBC"})
    void aFirstMergeThatFailsBeforeItsCommitLeavesNoTableAndNoNamespace(TableConfig.Catalog catalog)
            throws Exception {
        TableConfig config = new TableConfig(catalog, dir.resolve("warehouse"),
                catalog == TableConfig.Catalog.JDBC ? "jdbc:sqlite:" + dir.resolve("catalog.db") : null, "fresh",
                "typo", TableConfig.Mode.MERGE, TableConfig.SchemaEvolution.NONE, Optional.empty(), false, false,
                new MergeConfig(List.of("product_id"), MergeConfig.OnDuplicateKey.FAIL, Optional.empty()));
        EmbeddedIcebergLoadEngine engine = new EmbeddedIcebergLoadEngine(config, s3.client());

        // the merge creates the namespace, then refuses a file whose columns carry other ids
        Path file = TestParquet.write(dir.resolve("other-ids.parquet"), TestParquet.productSchema(),
                new int[] {11, 12, 13, 14}, TestParquet.products(1, 3, "Acme"));
        MergeInput keys = MergeInput.read(file, AvroToIceberg.convert(TestParquet.productSchema()), config.merge(),
                RowLines.oneLineEach(), "other-ids.csv");
        LoadRequest request = new LoadRequest("run-other-ids", s3.put("incoming/other-ids.parquet", file),
                TestParquet.productSchema(), 3, null, "file", "other-ids.csv", null, -1, keys);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> engine.load(request));

        assertTrue(refused.getMessage().contains("do not carry the field ids"), refused.getMessage());
        assertNothing(config);
    }

    @ParameterizedTest
    @EnumSource(value = TableConfig.Catalog.class, names = {"HADOOP", "JDBC"})
    void aDroppedTableIsGoneWithItsFiles(TableConfig.Catalog catalog) throws Exception {
        TableConfig config = table(catalog, "data", "products");
        loadProducts(config, 1, 20, "Acme");
        Path tableFolder = dir.resolve("warehouse").resolve("data").resolve("products");
        assertTrue(Files.isDirectory(tableFolder.resolve("data")), "the load wrote into " + tableFolder);

        try (IcebergTables tables = IcebergTables.open(config)) {
            // the table and its load ledger
            assertEquals(List.of("data.products", "data.products_loads"),
                    tables.summaries().stream().map(TableSummary::name).toList());
            assertEquals(20, tables.summaries().get(0).rows());
            assertTrue(tables.drop(TableIdentifier.of("data", "products")));
            assertEquals(List.of("data.products_loads"), tables.summaries().stream().map(TableSummary::name).toList());
            assertTrue(tables.drop(tables.ledgerIdentifier()));
            assertEquals(List.of(), tables.summaries());
            assertFalse(tables.drop(TableIdentifier.of("data", "products")), "there is no such table any more");
        }
        assertEquals(List.of(), files(tableFolder), "the table's data and metadata files were purged");
    }

    private TableConfig table(TableConfig.Catalog catalog, String namespace, String name) {
        return new TableConfig(catalog, dir.resolve("warehouse"),
                catalog == TableConfig.Catalog.JDBC ? "jdbc:sqlite:" + dir.resolve("catalog.db") : null,
                namespace, name, TableConfig.Mode.OVERWRITE, TableConfig.SchemaEvolution.NONE);
    }

    /** No table, no namespace in the catalog, and no file or folder of them in the warehouse. */
    private void assertNothing(TableConfig config) throws Exception {
        try (IcebergTables tables = IcebergTables.open(config)) {
            assertFalse(tables.find().isPresent(), "table " + config.qualifiedName() + " exists");
            assertFalse(((SupportsNamespaces) tables.catalog()).namespaceExists(Namespace.of(config.namespace())),
                    "namespace " + config.namespace() + " exists");
        }
        assertFalse(Files.exists(dir.resolve("warehouse").resolve(config.namespace())),
                "the warehouse holds " + files(dir.resolve("warehouse")));
    }

    private static List<Path> files(Path folder) throws Exception {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }
}
