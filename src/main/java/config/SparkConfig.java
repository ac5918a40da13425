package config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code pipeline.spark.*}: the spark-submit that runs pyspark/load_to_iceberg.py for {@code pipeline.engine=spark-submit}.
 * By default the job writes a Hadoop catalog over {@code pipeline.table.warehouse}, the warehouse the DuckDB query
 * reads; {@code pipeline.spark.catalogConf} replaces that with any Iceberg catalog Spark can reach.
 */
public record SparkConfig(
        String sparkSubmit,
        String master,
        List<String> packages,
        List<String> jars,
        Map<String, String> conf,
        String catalogName,
        Map<String, String> catalogConf,
        Optional<String> python,
        Map<String, String> env,
        Path script,
        boolean stageInput,
        Duration timeout) {

    public static SparkConfig from(Settings s, TableConfig table) {
        return from(s, table, System::getenv);
    }

    static SparkConfig from(Settings s, TableConfig table, Function<String, String> environment) {
        String sparkSubmit = s.optional("pipeline.spark.sparkSubmit").orElseGet(() -> defaultSparkSubmit(environment));
        checkExecutable(s, sparkSubmit);

        Optional<String> python = s.optional("pipeline.spark.python");
        python.filter(p -> p.contains("/") && !Files.isExecutable(Path.of(p))).ifPresent(p -> s.problem(
                "pipeline.spark.python must be an executable Python with pyspark, there is none at "
                + Path.of(p).toAbsolutePath()));

        Path script = s.path("pipeline.spark.script");
        if (!Files.isRegularFile(script)) {
            s.problem("pipeline.spark.script must be the Spark job pyspark/load_to_iceberg.py, there is no file at "
                      + script.toAbsolutePath());
        }

        String catalogName = s.string("pipeline.spark.catalogName");
        if (!catalogName.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            s.problem("pipeline.spark.catalogName must be letters, digits and underscores, was " + catalogName);
        }
        Map<String, String> catalogConf = s.pairs("pipeline.spark.catalogConf");
        if (table.catalog() == TableConfig.Catalog.JDBC && !definesCatalog(catalogConf)) {
            s.problem("pipeline.spark.catalogConf must define the catalog (type=... or catalog-impl=...) when "
                      + "pipeline.table.catalog is jdbc; the default Spark catalog is a Hadoop catalog only");
        }

        Duration timeout = s.duration("pipeline.spark.timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            s.problem("pipeline.spark.timeout must be positive, was " + s.optional("pipeline.spark.timeout")
                    .orElse(""));
        }

        Map<String, String> all = new LinkedHashMap<>(defaultCatalogConf(table, catalogConf));
        all.putAll(catalogConf);
        return new SparkConfig(
                sparkSubmit,
                s.string("pipeline.spark.master"),
                s.list("pipeline.spark.packages"),
                s.list("pipeline.spark.jars"),
                s.pairs("pipeline.spark.conf"),
                catalogName,
                Map.copyOf(all),
                python,
                s.pairs("pipeline.spark.env"),
                script,
                s.bool("pipeline.spark.stageInput"),
                timeout);
    }

    /** Whether the catalog's options pick its implementation themselves. */
    public static boolean definesCatalog(Map<String, String> catalogConf) {
        return catalogConf.containsKey("type") || catalogConf.containsKey("catalog-impl");
    }

    // a Hadoop catalog over the warehouse the DuckDB query reads, unless the user brings another catalog
    private static Map<String, String> defaultCatalogConf(TableConfig table, Map<String, String> catalogConf) {
        Map<String, String> defaults = new LinkedHashMap<>();
        if (!definesCatalog(catalogConf)) {
            defaults.put("type", "hadoop");
        }
        defaults.put("warehouse", table.warehouse().toAbsolutePath().normalize().toString());
        return defaults;
    }

    private static String defaultSparkSubmit(Function<String, String> environment) {
        String sparkHome = environment.apply("SPARK_HOME");
        return sparkHome == null || sparkHome.isBlank()
                ? "spark-submit"
                : Path.of(sparkHome, "bin", "spark-submit").toString();
    }

    private static void checkExecutable(Settings s, String sparkSubmit) {
        if (sparkSubmit.contains("/")) {
            if (!Files.isExecutable(Path.of(sparkSubmit))) {
                s.problem("pipeline.spark.sparkSubmit must be an executable spark-submit, there is none at "
                          + Path.of(sparkSubmit).toAbsolutePath()
                          + " (set pipeline.spark.sparkSubmit or SPARK_HOME)");
            }
            return;
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, sparkSubmit))) {
                return;
            }
        }
        s.problem("pipeline.spark.sparkSubmit must be an executable spark-submit, " + sparkSubmit
                  + " is not on the PATH and SPARK_HOME is not set");
    }
}
