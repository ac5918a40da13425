package support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

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

    private static Path require(Path file, String setup) {
        if (!Files.isExecutable(file)) {
            throw new AssertionError(file + " is missing: run bash " + setup + " && bash scripts/spark-jars.sh");
        }
        return file;
    }
}
