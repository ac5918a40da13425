package query;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import config.QueryConfig;
import config.TableConfig;
import lake.LoadTestSupport;

/** A loaded table and a DuckDB engine over it. */
abstract class QueryTestSupport extends LoadTestSupport {

    protected QueryConfig queryConfig(int printRows) {
        return new QueryConfig(QueryConfigDefaultsTest.DEFAULT_SQL, printRows, dir.resolve("results"));
    }

    protected DuckDbQueryEngine engine(TableConfig table, int printRows) {
        return new DuckDbQueryEngine(table, queryConfig(printRows), "run-1");
    }

    protected static List<String> lines(Path csv) throws Exception {
        return List.of(Files.readString(csv).split("\r\n", -1));
    }
}
