package support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import spark.SparkSubmitCommand;
import spark.SparkSubmitProcess;

/**
 * The local Spark the tests run: the venv's pip-installed pyspark (scripts/setup-python.sh) and the Iceberg Spark
 * runtime jar (scripts/spark-jars.sh). A missing piece fails the test with the command that installs it; never skipped.
 */
public final class LocalSpark {

    /** Short-lived test JVMs: C1-only JIT and serial GC halve the CPU a run costs on a small machine. */
    public static final String DRIVER_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private static final Path VENV_BIN = Path.of(".venv", "bin").toAbsolutePath();
    private static final Path JARS = Path.of("target", "spark-jars").toAbsolutePath();

    private LocalSpark() {
    }

    public static Path sparkSubmit() {
        return require(VENV_BIN.resolve("spark-submit"), "scripts/setup-python.sh");
    }

    public static Path python() {
        return require(VENV_BIN.resolve("python"), "scripts/setup-python.sh");
    }

    /** iceberg-aws-bundle, which Spark needs to write through a REST catalog's S3FileIO. */
    public static Path icebergAwsBundle() {
        return jar("iceberg-aws-bundle-");
    }

    public static Path icebergJar() {
        return jar("iceberg-spark-runtime-3.5_2.12-");
    }

    private static Path jar(String prefix) {
        try (Stream<Path> files = Files.isDirectory(JARS) ? Files.list(JARS) : Stream.empty()) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList();
            if (jars.isEmpty()) {
                throw new AssertionError("No " + prefix + "*.jar in " + JARS
                                         + ": run bash scripts/setup-python.sh && bash scripts/spark-jars.sh");
            }
            return jars.get(jars.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Spark confs that keep a test run small: lean driver JVM, no UI, two partitions. */
    public static String leanConf() {
        return "spark.driver.extraJavaOptions=" + DRIVER_JAVA_OPTIONS
               + ",spark.ui.enabled=false,spark.sql.shuffle.partitions=2,spark.default.parallelism=2";
    }

    /** {@code pipeline.spark.*} for the venv's Spark on {@code local[2]} with the Iceberg jar, no downloads. */
    public static Properties engineProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.engine", "spark-submit");
        p.setProperty("pipeline.spark.sparkSubmit", sparkSubmit().toString());
        p.setProperty("pipeline.spark.python", python().toString());
        p.setProperty("pipeline.spark.master", "local[2]");
        p.setProperty("pipeline.spark.jars", icebergJar().toString());
        p.setProperty("pipeline.spark.conf", leanConf());
        // Spark's driver and block manager listen on loopback only
        p.setProperty("pipeline.spark.env", "SPARK_LOCAL_IP=127.0.0.1");
        return p;
    }

    /**
     * Every row of {@code table} ({@code <namespace>.<name>}) of the Hadoop catalog in {@code warehouse}, as Spark
     * reads it through Iceberg's runtime, ordered by the first column: one JSON object a row, each value as Spark
     * casts it to a string (timestamps in UTC), nulls as null.
     */
    public static List<JsonNode> tableRows(Path warehouse, String table) throws IOException, InterruptedException {
        SparkSubmitCommand read = SparkSubmitCommand.builder()
                .executable(sparkSubmit().toString())
                .master("local[1]")
                .jars(List.of(icebergJar().toString()))
                .hadoopCatalog("local", warehouse.toString())
                .conf("spark.driver.extraJavaOptions", DRIVER_JAVA_OPTIONS)
                .conf("spark.ui.enabled", "false")
                .conf("spark.sql.session.timeZone", "UTC")
                .script(Path.of("src/test/resources/spark/print_table_rows.py").toAbsolutePath().toString())
                .scriptArguments(List.of("local." + table))
                .build();
        SparkSubmitProcess.Outcome outcome = SparkSubmitProcess.run(read, Map.of(
                "PYSPARK_PYTHON", python().toString(),
                "SPARK_LOCAL_IP", "127.0.0.1",
                "PYSPARK_DRIVER_PYTHON", python().toString()), Duration.ofMinutes(3));
        if (!outcome.succeeded()) {
            throw new AssertionError(outcome.describeFailure());
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : outcome.stdout()) {
            if (line.startsWith("ROW ")) {
                rows.add(json.readTree(line.substring(4)));
            }
        }
        return rows;
    }

    private static Path require(Path file, String setup) {
        if (!Files.isExecutable(file)) {
            throw new AssertionError(file + " is missing: run bash " + setup + " && bash scripts/spark-jars.sh");
        }
        return file;
    }
}
