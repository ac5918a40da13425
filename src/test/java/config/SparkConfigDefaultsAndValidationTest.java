package config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** pipeline.spark.*: defaults point the job at the warehouse DuckDB reads; bad values are named with the property. */
class SparkConfigDefaultsAndValidationTest {

    private static final TableConfig TABLE = new TableConfig(TableConfig.Catalog.HADOOP, Path.of("/tmp/wh"), null,
            "data", "products", TableConfig.Mode.OVERWRITE, TableConfig.SchemaEvolution.NONE);

    @Test
    void defaultsAreAHadoopCatalogOnTheTableWarehouseAndSparkHome() {
        Settings s = settings(Map.of());
        SparkConfig config = SparkConfig.from(s, TABLE, name -> name.equals("SPARK_HOME") ? "/opt/spark" : null);

        assertEquals("/opt/spark/bin/spark-submit", config.sparkSubmit());
        assertEquals(List.of("pipeline.spark.sparkSubmit must be an executable spark-submit, there is none at "
                             + "/opt/spark/bin/spark-submit (set pipeline.spark.sparkSubmit or SPARK_HOME)"),
                     s.problems());
        assertEquals("local[*]", config.master());
        assertEquals("local", config.catalogName());
        assertEquals(Map.of("type", "hadoop", "warehouse", "/tmp/wh"), config.catalogConf());
        assertEquals(Path.of("pyspark", "load_to_iceberg.py"), config.script());
        assertTrue(config.stageInput());
    }

    @Test
    void catalogConfReplacesTheHadoopCatalog() {
        Settings s = settings(Map.of("pipeline.spark.sparkSubmit", "/bin/sh",
                "pipeline.spark.catalogConf", "catalog-impl=software.amazon.s3tables.iceberg.S3TablesCatalog,"
                                              + "warehouse=arn:aws:s3tables:us-east-1:123456789012:bucket/b",
                "pipeline.spark.conf", "spark.driver.memory=2g,spark.ui.enabled=false"));
        SparkConfig config = SparkConfig.from(s, TABLE, name -> null);

        assertEquals(List.of(), s.problems());
        assertEquals(Map.of("catalog-impl", "software.amazon.s3tables.iceberg.S3TablesCatalog",
                            "warehouse", "arn:aws:s3tables:us-east-1:123456789012:bucket/b"), config.catalogConf());
        assertEquals(Map.of("spark.driver.memory", "2g", "spark.ui.enabled", "false"), config.conf());
    }

    @Test
    void everyBadValueIsNamed() {
        Settings s = settings(Map.of("pipeline.spark.sparkSubmit", "/nowhere/spark-submit",
                                     "pipeline.spark.script", "/nowhere/job.py",
                                     "pipeline.spark.conf", "novalue",
                                     "pipeline.spark.timeout", "soon"));
        SparkConfig.from(s, TABLE, name -> null);

        ConfigurationException e = assertThrows(ConfigurationException.class, s::validate);
        assertTrue(e.getMessage().contains("pipeline.spark.sparkSubmit must be an executable spark-submit, there is "
                                           + "none at /nowhere/spark-submit"), e.getMessage());
        assertTrue(e.getMessage().contains("pipeline.spark.script must be the Spark job"), e.getMessage());
        assertTrue(e.getMessage().contains("pipeline.spark.conf must be a comma-separated list of name=value pairs, "
                                           + "was novalue"), e.getMessage());
        assertTrue(e.getMessage().contains("pipeline.spark.timeout must be a duration"), e.getMessage());
    }

    private static Settings settings(Map<String, String> properties) {
        return new Settings(k -> Optional.ofNullable(properties.get(k)));
    }
}
