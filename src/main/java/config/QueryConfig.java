package config;

import java.nio.file.Path;

/** {@code pipeline.query.*}: the SQL run after the load, how much of it is printed and where results are kept. */
public record QueryConfig(String sql, int printRows, Path resultsDir) {

    public static final String DEFAULT_SQL = "SELECT * FROM \"data\".\"products\"";

    public static QueryConfig from(Settings s) {
        Path dataDir = s.path("pipeline.data.dir", Path.of("data")).toAbsolutePath().normalize();
        return new QueryConfig(
                s.string("pipeline.query.sql", DEFAULT_SQL),
                s.integer("pipeline.query.printRows", 20, 0, 10_000),
                s.path("pipeline.query.resultsDir", dataDir.resolve("results")));
    }
}
