package config;

import java.nio.file.Path;

/** {@code pipeline.query.*}: the SQL run after the load, how much of it is printed and where results are kept. */
public record QueryConfig(String sql, int printRows, Path resultsDir) {

    public static QueryConfig from(Settings s) {
        Path dataDir = s.path("pipeline.data.dir").toAbsolutePath().normalize();
        return new QueryConfig(
                s.string("pipeline.query.sql"),
                s.integer("pipeline.query.printRows", 0, 10_000),
                // empty means derived: the results folder of the data dir
                s.optional("pipeline.query.resultsDir").map(Path::of).orElseGet(() -> dataDir.resolve("results")));
    }
}
