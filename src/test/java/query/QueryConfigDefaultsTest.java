package query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import config.PipelineConfig;
import config.QueryConfig;
import config.Settings;
import config.TableConfig;
import org.junit.jupiter.api.Test;

/** pipeline.query.* defaults to a look at the table: its first 20 rows printed, no results file (ten kept if asked). */
class QueryConfigDefaultsTest {

    static final String DEFAULT_SQL = "SELECT * FROM \"data\".\"products\"";

    @Test
    void defaults() {
        Settings s = new Settings(key -> Optional.empty());

        QueryConfig config = QueryConfig.from(s, TableConfig.from(s, PipelineConfig.dataDir(s)));

        assertEquals(new QueryConfig(DEFAULT_SQL, true, 20, Optional.empty(), 10), config);
        assertTrue(config.previewOnly(), "the default query reads the table's first rows only");
        assertEquals(List.of(), s.problems());
    }

    @Test
    void badValuesAreNamed() {
        Map<String, String> properties = Map.of("pipeline.query.printRows", "lots",
                "pipeline.query.resultsDir", "/srv/r", "pipeline.query.keepResults", "-1");
        Settings s = new Settings(key -> Optional.ofNullable(properties.get(key)));

        QueryConfig config = QueryConfig.from(s, TableConfig.from(s, PipelineConfig.dataDir(s)));

        assertEquals(Optional.of(Path.of("/srv/r")), config.resultsDir());
        assertFalse(config.previewOnly(), "a results file asked for holds the whole table");
        assertEquals(List.of("pipeline.query.printRows must be a whole number, was lots",
                "pipeline.query.keepResults must be between 0 and 1000000, was -1"), s.problems());
    }
}
