package lake;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import config.MergeConfig;
import config.TableConfig;
import core.RowLines;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A warehouse in a temporary directory, the real S3Proxy, and helpers to upload Parquet and load it. */
public abstract class LoadTestSupport {

    @TempDir
    protected Path dir;

    protected LocalS3 s3;

    @BeforeEach
    void startS3() throws Exception {
        s3 = LocalS3.start(dir.resolve("s3"));
    }

    @AfterEach
    void stopS3() throws Exception {
        s3.close();
    }

    protected TableConfig table(TableConfig.Mode mode, TableConfig.SchemaEvolution evolution) {
        return new TableConfig(TableConfig.Catalog.HADOOP, dir.resolve("warehouse"), null, "data", "products", mode,
                evolution);
    }

    protected TableConfig table(TableConfig.Mode mode) {
        return table(mode, TableConfig.SchemaEvolution.NONE);
    }

    /** Writes {@code rows} as Parquet, uploads them and returns the load request for them. */
    protected LoadRequest upload(Schema schema, List<GenericRecord> rows) throws Exception {
        return upload(null, schema, rows);
    }

    /**
     * Writes {@code rows} as Parquet with the field ids {@code config}'s table gives them (as the convert stage does),
     * uploads them and returns the load request for them.
     */
    protected LoadRequest upload(TableConfig config, Schema schema, List<GenericRecord> rows) throws Exception {
        String name = UUID.randomUUID() + ".parquet";
        int[] ids = config == null ? null : new EmbeddedIcebergLoadEngine(config, s3.client()).fieldIds(schema);
        Path file = ids == null ? TestParquet.write(dir.resolve(name), schema, rows)
                : TestParquet.write(dir.resolve(name), schema, ids, rows);
        return new LoadRequest("run-" + name.substring(0, 8), s3.put("incoming/" + name, file), schema, rows.size());
    }

    protected LoadResult load(TableConfig config, Schema schema, List<GenericRecord> rows) throws Exception {
        return new EmbeddedIcebergLoadEngine(config, s3.client()).load(upload(config, schema, rows));
    }

    protected LoadResult loadProducts(TableConfig config, int firstId, int count, String brand) throws Exception {
        return load(config, TestParquet.productSchema(), TestParquet.products(firstId, count, brand));
    }

    /** A merge-mode table of the products on {@code product_id}, a duplicate key failing the input. */
    protected TableConfig mergeOnProductId() {
        return new TableConfig(TableConfig.Catalog.HADOOP, dir.resolve("warehouse"), null, "data", "products",
                TableConfig.Mode.MERGE, TableConfig.SchemaEvolution.NONE, Optional.empty(), false, false,
                new MergeConfig(List.of("product_id"), MergeConfig.OnDuplicateKey.FAIL, Optional.empty()));
    }

    /**
     * The embedded engine's merge of product {@code rows} into {@code config}'s table, as a run's: written as the
     * convert stage writes them, uploaded, their keys read, loaded; {@code meanwhile} (or nothing, when null) runs
     * right before the merge commits.
     */
    protected Merged merge(TableConfig config, List<GenericRecord> rows, Runnable meanwhile) throws Exception {
        EmbeddedIcebergLoadEngine engine = new EmbeddedIcebergLoadEngine(config, s3.client());
        int[] ids = engine.fieldIds(TestParquet.productSchema());
        Path file = TestParquet.write(dir.resolve(UUID.randomUUID() + ".parquet"), TestParquet.productSchema(), ids,
                rows);
        MergeInput keys = MergeInput.read(file, AvroToIceberg.convert(TestParquet.productSchema()), config.merge(),
                RowLines.oneLineEach(), "input.csv");
        if (meanwhile != null) {
            engine.beforeMergeCommit = meanwhile;
        }
        LoadResult result = engine.load(new LoadRequest("run-" + UUID.randomUUID().toString().substring(0, 8),
                s3.put("incoming/" + file.getFileName(), file), TestParquet.productSchema(), rows.size(),
                "sha-" + file.getFileName(), "file", "test", file, -1, keys));
        return new Merged(result, file);
    }

    /** A merge's result, and the converted file it loaded. */
    protected record Merged(LoadResult result, Path file) {
    }
}
