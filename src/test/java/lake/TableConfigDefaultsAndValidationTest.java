package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import config.MergeConfig;
import config.Names;
import config.PipelineConfig;
import config.Settings;
import config.TableConfig;
import org.junit.jupiter.api.Test;

/** pipeline.table.* defaults to a Hadoop catalog under the data dir, and each bad value is named with its property. */
class TableConfigDefaultsAndValidationTest {

    @Test
    void defaults() {
        Settings s = settings(Map.of("pipeline.data.dir", "/srv/pipeline"));

        TableConfig config = TableConfig.from(s, PipelineConfig.dataDir(s));

        assertEquals(List.of(), s.problems());
        assertEquals(new TableConfig(TableConfig.Catalog.HADOOP, Path.of("/srv/pipeline/warehouse"), null, "data",
                "products", TableConfig.Mode.OVERWRITE, TableConfig.SchemaEvolution.NONE), config);
        assertEquals("data.products", config.qualifiedName());
    }

    @Test
    void jdbcCatalogWithItsUriAndEvolution() {
        Settings s = settings(Map.of(
                "pipeline.table.catalog", "jdbc",
                "pipeline.table.jdbcUri", "jdbc:sqlite:data/catalog.db",
                "pipeline.table.mode", "append",
                "pipeline.table.schemaEvolution", "add-columns"));

        TableConfig config = TableConfig.from(s, PipelineConfig.dataDir(s));

        assertEquals(List.of(), s.problems());
        assertEquals(TableConfig.Catalog.JDBC, config.catalog());
        assertEquals("jdbc:sqlite:data/catalog.db", config.jdbcUri());
        assertEquals(TableConfig.Mode.APPEND, config.mode());
        assertEquals(TableConfig.SchemaEvolution.ADD_COLUMNS, config.schemaEvolution());
        assertEquals(Path.of("data/warehouse").toAbsolutePath(), config.warehouse());
    }

    @Test
    void everyBadValueIsNamed() {
        Settings s = settings(Map.of(
                "pipeline.table.catalog", "jdbc",
                "pipeline.table.name", "my-products",
                "pipeline.table.mode", "upsert",
                "pipeline.table.schemaEvolution", "anything"));

        TableConfig config = TableConfig.from(s, PipelineConfig.dataDir(s));

        assertNull(config.jdbcUri());
        assertEquals(List.of(
                "pipeline.table.mode must be one of overwrite, append, merge, was upsert",
                "pipeline.table.schemaEvolution must be one of none, add-columns, was anything",
                "pipeline.table.jdbcUri is required when pipeline.table.catalog is jdbc, for example "
                + "jdbc:sqlite:data/catalog.db",
                "pipeline.table.name must be " + Names.RULE + ", was 'my-products'"),
                sorted(s.problems()));
    }

    @Test
    void mergeTakesAKeyAndTheOtherModesNone() {
        Settings merging = settings(Map.of("pipeline.table.mode", "merge", "pipeline.table.key", "order_id, line",
                "pipeline.table.onDuplicateKey", "last", "pipeline.table.deleteWhen", "deleted"));
        TableConfig config = TableConfig.from(merging, PipelineConfig.dataDir(merging));
        assertEquals(List.of(), merging.problems());
        assertEquals(new MergeConfig(List.of("order_id", "line"), MergeConfig.OnDuplicateKey.LAST,
                Optional.of("deleted")), config.merge());

        Settings noKey = settings(Map.of("pipeline.table.mode", "merge"));
        TableConfig.from(noKey, PipelineConfig.dataDir(noKey));
        assertEquals(List.of("pipeline.table.key is required when pipeline.table.mode is merge: the column(s) that"
                + " identify a row, for example product_id or order_id,line"), noKey.problems());

        Settings keyWithoutMerge = settings(Map.of("pipeline.table.mode", "append", "pipeline.table.key", "id",
                "pipeline.table.deleteWhen", "gone"));
        assertEquals(MergeConfig.NONE, TableConfig.from(keyWithoutMerge, PipelineConfig.dataDir(keyWithoutMerge))
                .merge());
        assertEquals(List.of("pipeline.table.key is used by pipeline.table.mode=merge only, and the mode is append;"
                + " set pipeline.table.mode=merge or leave the key empty", "pipeline.table.deleteWhen is used by"
                + " pipeline.table.mode=merge only, and the mode is append"), keyWithoutMerge.problems());

        Settings bad = settings(Map.of("pipeline.table.mode", "merge", "pipeline.table.key", "Id,id,id",
                "pipeline.table.deleteWhen", "id", "pipeline.table.onDuplicateKey", "first"));
        TableConfig.from(bad, PipelineConfig.dataDir(bad));
        assertEquals(List.of("pipeline.table.onDuplicateKey must be one of fail, last, was first",
                "pipeline.table.key must name columns of " + Names.COLUMN_RULE + ", was 'Id'",
                "pipeline.table.key names the column id twice",
                "pipeline.table.deleteWhen names id, a column of pipeline.table.key; it must be a boolean column of"
                + " its own"), bad.problems());
    }

    private static List<String> sorted(List<String> problems) {
        // the order the record reads its properties in is not part of the contract
        return problems.stream().sorted((a, b) -> order(a) - order(b)).toList();
    }

    private static int order(String problem) {
        List<String> keys = List.of("mode", "schemaEvolution", "jdbcUri", "name");
        for (int i = 0; i < keys.size(); i++) {
            if (problem.startsWith("pipeline.table." + keys.get(i) + " ")) {
                return i;
            }
        }
        return keys.size();
    }

    private static Settings settings(Map<String, String> properties) {
        return new Settings(key -> Optional.ofNullable(properties.get(key)));
    }
}
