package query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import config.PipelineConfig;
import config.QueryConfig;
import config.Settings;
import config.TableConfig;
import org.junit.jupiter.api.Test;

/** pipeline.query.* defaults to the walkthrough's query, 20 printed rows and results under the data dir. */
class QueryConfigDefaultsTest {

    static final String DEFAULT_SQL = "SELECT * FROM \"data\".\"products\"";

    @Test
    void defaults() {
        Settings s = new Settings(key -> Optional.empty());

        assertEquals(new QueryConfig(DEFAULT_SQL, 20, Path.of("data/results").toAbsolutePath()),
                QueryConfig.from(s, PipelineConfig.dataDir(s), TableConfig.from(s, PipelineConfig.dataDir(s))));
        assertEquals(List.of(), s.problems());
    }

    @Test
    void badPrintRowsIsNamed() {
        Map<String, String> properties = Map.of("pipeline.query.printRows", "lots", "pipeline.data.dir", "/srv/p");
        Settings s = new Settings(key -> Optional.ofNullable(properties.get(key)));

        QueryConfig config = QueryConfig.from(s, PipelineConfig.dataDir(s), TableConfig.from(s, PipelineConfig.dataDir(s)));

        assertEquals(Path.of("/srv/p/results"), config.resultsDir());
        assertEquals(List.of("pipeline.query.printRows must be a whole number, was lots"), s.problems());
    }
}
