package spark;

import config.MergeConfig;
import config.TableConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** spark-submit is built as a list in a fixed order; an argument with a space stays one element. */
class SparkSubmitCommandTest {

    @Test
    void s3TablesCommandForEmr() {
        SparkSubmitCommand command = SparkSubmitCommand.builder()
                .packages(List.of("org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.6.1",
                                  "software.amazon.s3tables:s3-tables-catalog-for-iceberg:0.1.0"))
                .s3TablesCatalog("s3tablesbucket", "arn:aws:s3tables:ap-southeast-1:1234567890:bucket/ecommerce-lakehouse")
                .conf("spark.driver.extraJavaOptions", "-Da=1 -Db=two words")
                .script("s3://bucket/load_to_iceberg.py")
                .loadArguments("s3://bucket/data/my products.parquet", "s3tablesbucket", "data", "products",
                               TableConfig.Mode.APPEND)
                .build();
        assertEquals(List.of(
                "spark-submit",
                "--packages", "org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.6.1,"
                              + "software.amazon.s3tables:s3-tables-catalog-for-iceberg:0.1.0",
                "--conf", "spark.sql.catalog.s3tablesbucket=org.apache.iceberg.spark.SparkCatalog",
                "--conf", "spark.sql.catalog.s3tablesbucket.catalog-impl=software.amazon.s3tables.iceberg.S3TablesCatalog",
                "--conf", "spark.sql.catalog.s3tablesbucket.warehouse="
                          + "arn:aws:s3tables:ap-southeast-1:1234567890:bucket/ecommerce-lakehouse",
                "--conf", "spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
                "--conf", "spark.driver.extraJavaOptions=-Da=1 -Db=two words",
                "s3://bucket/load_to_iceberg.py",
                "--input", "s3://bucket/data/my products.parquet",
                "--catalog", "s3tablesbucket",
                "--namespace", "data",
                "--table", "products",
                "--mode", "append"), command.arguments());
        assertEquals(true, command.toString().contains("'spark.driver.extraJavaOptions=-Da=1 -Db=two words'"));
    }

    @Test
    void hadoopCatalogForLocalSpark() {
        SparkSubmitCommand command = SparkSubmitCommand.builder()
                .executable("/opt/spark/bin/spark-submit")
                .master("local[2]")
                .jars(List.of("/tmp/iceberg.jar"))
                .hadoopCatalog("local", "/tmp/ware house")
                .script("pyspark/load_to_iceberg.py")
                .build();
        assertEquals(List.of("/opt/spark/bin/spark-submit", "--master", "local[2]", "--jars", "/tmp/iceberg.jar",
                             "--conf", "spark.sql.catalog.local=org.apache.iceberg.spark.SparkCatalog",
                             "--conf", "spark.sql.catalog.local.type=hadoop",
                             "--conf", "spark.sql.catalog.local.warehouse=/tmp/ware house",
                             "--conf", "spark.sql.extensions=" + SparkSubmitCommand.ICEBERG_EXTENSIONS,
                             "pyspark/load_to_iceberg.py"), command.arguments());
    }

    @Test
    void aMergeNamesItsKeyWhatDuplicatesDoAndTheDeleteMarker() {
        SparkSubmitCommand command = SparkSubmitCommand.builder().script("job.py")
                .loadArguments("in.parquet", "local", "data", "orders", TableConfig.Mode.MERGE)
                .mergeArguments(new MergeConfig(List.of("order_id", "line"), MergeConfig.OnDuplicateKey.LAST,
                        Optional.of("deleted")))
                .mergeArguments(MergeConfig.NONE)
                .build();
        assertEquals(List.of("spark-submit", "job.py", "--input", "in.parquet", "--catalog", "local", "--namespace",
                "data", "--table", "orders", "--mode", "merge", "--key", "order_id,line", "--on-duplicate-key", "last",
                "--delete-when", "deleted"), command.arguments());
    }

    @Test
    void aTableLocationPrefixIsPassedOnlyWhenSet() {
        SparkSubmitCommand command = SparkSubmitCommand.builder().script("job.py")
                .tableLocationPrefix(Optional.empty())
                .tableLocationPrefix(Optional.of("s3://lake/tables"))
                .build();
        assertEquals(List.of("spark-submit", "job.py", "--table-location-prefix", "s3://lake/tables"),
                command.arguments());
    }

    @Test
    void aScriptIsRequiredAndTheListIsImmutable() {
        assertThrows(IllegalStateException.class, () -> SparkSubmitCommand.builder().build());
        SparkSubmitCommand command = SparkSubmitCommand.builder().script("job.py").build();
        assertThrows(UnsupportedOperationException.class, () -> command.arguments().add("x"));
    }

    @Test
    void emrServerlessTakesTheOptionsAsOneStringAndRefusesOneWithASpace() {
        SparkSubmitCommand command = SparkSubmitCommand.builder()
                .packages(List.of("org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.6.1"))
                .conf("spark.executor.instances", "1")
                .script("s3://bucket/load_to_iceberg.py")
                .scriptArguments(List.of("--input", "s3://bucket/data/my products.parquet"))
                .build();
        assertEquals("--packages org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.6.1"
                     + " --conf spark.executor.instances=1", command.sparkSubmitParameters());
        assertEquals("s3://bucket/load_to_iceberg.py", command.script());
        assertEquals(List.of("--input", "s3://bucket/data/my products.parquet"), command.scriptArguments());

        SparkSubmitCommand spaced = SparkSubmitCommand.builder().conf("spark.driver.extraJavaOptions", "-Da=1 -Db=2")
                .script("s3://bucket/load_to_iceberg.py").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, spaced::sparkSubmitParameters);
        assertEquals("the spark-submit option 'spark.driver.extraJavaOptions=-Da=1 -Db=2' holds a space, which EMR"
                     + " Serverless's sparkSubmitParameters cannot carry", e.getMessage());
    }
}
