package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import config.MergeConfig;
import config.QueryConfig;
import config.Settings;
import config.SparkConfig;
import config.TableConfig;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import query.DuckDbQueryEngine;
import query.QueryResult;
import spark.SparkSubmitLoadEngine;
import support.LocalSpark;
import support.TableRows;

/**
 * A table Spark wrote (spark-submit engine) reads the same through DuckDB and Iceberg's generic reader, and a table the
 * embedded engine wrote reads the same through Spark: the Hadoop warehouse layout is shared by both writers; an
 * embedded merge after Spark's merge-on-read one deletes each row once.
 */
class SparkAndEmbeddedEnginesReadEachOthersTablesTest extends LoadTestSupport {

    private static final String NULL = "<null>";
    private static final String SQL = "SELECT product_id, product_name, product_category, coalesce(brand, '" + NULL
                                      + "') AS brand FROM \"data\".\"products\" ORDER BY product_id";

    @Test
    void tableWrittenBySparkReadsTheSameInDuckDbAndIcebergGenerics() throws Exception {
        TableConfig table = table(TableConfig.Mode.OVERWRITE);
        LoadResult result = new SparkSubmitLoadEngine(sparkConfig(table), table, s3.client())
                .load(upload(ProductRows.NULLABLE_BRAND, rows()));
        assertEquals("data.products", result.table());
        assertEquals(IcebergTables.load(table).currentSnapshot().snapshotId(), result.snapshotId());

        QueryResult answer = new DuckDbQueryEngine(table, new QueryConfig(SQL, 0, dir.resolve("results")), "run-1")
                .query(SQL);
        List<List<String>> duckDb = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(answer.resultsFile(), StandardCharsets.UTF_8)) {
            for (CSVRecord record : CSVFormat.RFC4180.builder().setSkipHeaderRecord(true).setHeader().build()
                    .parse(in)) {
                duckDb.add(record.toList());
            }
        }
        List<List<String>> generics = new ArrayList<>();
        for (Record r : TableRows.read(IcebergTables.load(table))) {
            generics.add(row(r.getField("product_id"), r.getField("product_name"), r.getField("product_category"),
                             r.getField("brand")));
        }
        generics.sort((a, b) -> Integer.compare(Integer.parseInt(a.get(0)), Integer.parseInt(b.get(0))));

        assertEquals(expected(), duckDb);
        assertEquals(expected(), generics);
    }

    @Test
    void tableWrittenByEmbeddedEngineReadsTheSameInSpark() throws Exception {
        TableConfig table = table(TableConfig.Mode.OVERWRITE);
        new EmbeddedIcebergLoadEngine(table, s3.client()).load(upload(ProductRows.NULLABLE_BRAND, rows()));

        List<List<String>> spark = new ArrayList<>();
        for (JsonNode r : LocalSpark.tableRows(table.warehouse(), "data.products")) {
            spark.add(row(r.get("product_id").asInt(), r.get("product_name").asText(),
                          r.get("product_category").asText(),
                          r.get("brand").isNull() ? null : r.get("brand").asText()));
        }
        assertEquals(expected(), spark);
    }

    /**
     * Spark's {@code MERGE INTO} on a merge-on-read table writes position deletes; an embedded merge of keys it
     * replaced after that does not find its deleted rows again: each row is deleted once and the counts are right.
     */
    @Test
    void anEmbeddedMergeAfterSparksPositionDeletesDeletesEachRowOnce() throws Exception {
        TableConfig table = new TableConfig(TableConfig.Catalog.HADOOP, dir.resolve("warehouse"), null, "data",
                "products", TableConfig.Mode.MERGE, TableConfig.SchemaEvolution.NONE, Optional.empty(), false, false,
                new MergeConfig(List.of("product_id"), MergeConfig.OnDuplicateKey.FAIL, Optional.empty()));
        EmbeddedIcebergLoadEngine embedded = new EmbeddedIcebergLoadEngine(table, s3.client());
        embedded.load(mergeRequest(table, TestParquet.products(1, 100, "Acme")));
        new SparkSubmitLoadEngine(sparkConfig(table), table, s3.client())
                .load(mergeRequest(table, TestParquet.products(41, 20, "Spark")));
        assertEquals("20", IcebergTables.load(table).currentSnapshot().summary().get("total-position-deletes"),
                "Spark merged on read");

        LoadResult merged = embedded.load(mergeRequest(table, TestParquet.products(51, 20, "Embedded")));

        assertEquals(new LoadResult.Merged(0, 20, 0, 20), merged.merged());
        assertEquals(100, merged.previousRowCount());
        org.apache.iceberg.Table loaded = IcebergTables.load(table);
        assertEquals("40", loaded.currentSnapshot().summary().get("total-position-deletes"), "no row deleted twice");
        Map<Integer, String> brands = new java.util.TreeMap<>();
        for (Record r : TableRows.read(loaded)) {
            brands.put((Integer) r.getField("product_id"), r.getField("brand").toString());
        }
        assertEquals(100, brands.size());
        assertEquals(100, TableRows.read(loaded).size(), "one row a key");
        for (int id = 1; id <= 100; id++) {
            assertEquals(id > 50 && id <= 70 ? "Embedded" : id > 40 && id <= 50 ? "Spark" : "Acme", brands.get(id),
                    "product " + id);
        }
    }

    private LoadRequest mergeRequest(TableConfig table, List<GenericRecord> rows) throws Exception {
        int[] ids = new EmbeddedIcebergLoadEngine(table, s3.client()).fieldIds(TestParquet.productSchema());
        String name = java.util.UUID.randomUUID() + ".parquet";
        java.nio.file.Path file = TestParquet.write(dir.resolve(name), TestParquet.productSchema(), ids, rows);
        MergeInput keys = MergeInput.read(file, AvroToIceberg.convert(TestParquet.productSchema()), table.merge(),
                core.RowLines.oneLineEach(), "input.csv");
        return new LoadRequest("run-" + name.substring(0, 8), s3.put("incoming/" + name, file),
                TestParquet.productSchema(), rows.size(), "sha-" + name, "file", "test", file, -1, keys);
    }

    /** Twenty products; one without a brand, one whose name needs quoting in CSV and is not ASCII. */
    private static List<GenericRecord> rows() {
        List<GenericRecord> rows = new ArrayList<>();
        for (List<String> r : expected()) {
            rows.add(ProductRows.withNullableBrand(Integer.parseInt(r.get(0)), r.get(1), r.get(2),
                                                   NULL.equals(r.get(3)) ? null : r.get(3)));
        }
        return rows;
    }

    private static List<List<String>> expected() {
        List<List<String>> rows = new ArrayList<>();
        for (int id = 1; id <= 20; id++) {
            String name = id == 7 ? "Crème brûlée, \"torch\" set" : "Product " + id;
            rows.add(row(id, name, id % 2 == 0 ? "Kitchen" : "Books", id == 13 ? null : "Brand " + id));
        }
        return rows;
    }

    private static List<String> row(Object id, Object name, Object category, Object brand) {
        return List.of(String.valueOf(id), String.valueOf(name), String.valueOf(category),
                       brand == null ? NULL : String.valueOf(brand));
    }

    private SparkConfig sparkConfig(TableConfig table) {
        Map<String, String> properties = new java.util.HashMap<>();
        LocalSpark.engineProperties().forEach((k, v) -> properties.put((String) k, (String) v));
        properties.put("pipeline.spark.master", "local[1]");
        Settings settings = new Settings(k -> Optional.ofNullable(properties.get(k)));
        SparkConfig config = SparkConfig.from(settings, table);
        settings.validate();
        return config;
    }
}
