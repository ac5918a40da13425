package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import config.MergeConfig;
import config.TableConfig;
import core.BadInputException;
import core.RowLines;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import support.TableRows;

/**
 * The embedded engine's merge: each input row replaces the table's row of its key or is added, the other rows stay,
 * in one snapshot that records the input; a table made here deletes the replaced rows by position, one of
 * {@code write.merge.mode=copy-on-write} rewrites only the files holding input keys; two rows with one key fail
 * naming both lines, or the later wins; a delete marker removes the key's row.
 */
class MergeReplacesRowsByKeyTest extends LoadTestSupport {

    @Test
    void changedRowsAreReplacedNewOnesAddedTheRestKept() throws Exception {
        TableConfig config = merge(MergeConfig.OnDuplicateKey.FAIL, null);
        merge(config, TestParquet.products(1, 1000, "Acme"));
        Table before = IcebergTables.load(config);
        String v1File = IcebergTables.currentFiles(before).dataFiles().get(0);

        LoadResult v2 = merge(config, TestParquet.products(901, 150, "Zeta"));

        assertEquals(new LoadResult.Merged(50, 100, 0, 100), v2.merged());
        assertEquals(1000, v2.previousRowCount());
        assertEquals(150, v2.rowsAdded());
        Table table = IcebergTables.load(config);
        Map<Integer, String> brands = brands(table);
        assertEquals(1050, brands.size());
        assertEquals(1050, TableRows.read(table).size(), "one row a key");
        for (int id = 1; id <= 1050; id++) {
            assertEquals(id <= 900 ? "Acme" : "Zeta", brands.get(id), "product " + id);
        }
        Snapshot snapshot = table.currentSnapshot();
        assertEquals(before.currentSnapshot().snapshotId(), snapshot.parentId(), "one snapshot");
        assertEquals("merge", snapshot.summary().get(CommitIdentity.MODE));
        assertTrue(snapshot.summary().get(CommitIdentity.INPUT_SHA256).startsWith("sha-"));
        SnapshotFiles files = IcebergTables.currentFiles(table);
        assertEquals(2, files.dataFiles().size(), files.toString());
        assertTrue(files.dataFiles().contains(v1File), "a table made here merges on read: v1's file stays");
        assertEquals(1, files.deleteFiles().size(), "its 100 replaced rows deleted by position");
        assertEquals("100", snapshot.summary().get("total-position-deletes"));
    }

    @Test
    void aCopyOnWriteTableRewritesOnlyTheFilesWithInputKeys() throws Exception {
        TableConfig config = merge(MergeConfig.OnDuplicateKey.FAIL, null);
        merge(config, TestParquet.products(1, 100, "Acme"));
        IcebergTables.load(config).updateProperties().set(TableProperties.MERGE_MODE, "copy-on-write").commit();
        merge(config, TestParquet.products(101, 100, "Acme"));
        merge(config, TestParquet.products(201, 100, "Acme"));
        List<String> before = IcebergTables.currentFiles(IcebergTables.load(config)).dataFiles();

        merge(config, TestParquet.products(150, 10, "Zeta"));

        List<String> after = IcebergTables.currentFiles(IcebergTables.load(config)).dataFiles();
        assertEquals(4, after.size());
        assertTrue(after.contains(before.get(0)) || after.contains(before.get(1)));
        assertEquals(2, before.stream().filter(after::contains).count(), "only the file of keys 101-200 rewritten");
        assertEquals(0, IcebergTables.currentFiles(IcebergTables.load(config)).deleteFiles().size(), "no deletes");
        Map<Integer, String> brands = brands(IcebergTables.load(config));
        assertEquals(300, brands.size());
        assertEquals("Zeta", brands.get(155));
        assertEquals("Acme", brands.get(160));
    }

    @Test
    void twoRowsWithOneKeyFailNamingBothLines() throws Exception {
        TableConfig config = merge(MergeConfig.OnDuplicateKey.FAIL, null);
        List<GenericRecord> rows = new ArrayList<>(TestParquet.products(1, 10, "Acme"));
        rows.add(TestParquet.products(4, 1, "Zeta").get(0));

        BadInputException e = assertThrows(BadInputException.class, () -> keys(config, write(config, rows)));

        assertTrue(e.getMessage().contains("have the key product_id = 4: lines 5 and 12"), e.getMessage());
        assertTrue(e.getMessage().contains("set pipeline.table.onDuplicateKey to last"), e.getMessage());
    }

    @Test
    void theLaterRowWinsWhenAsked() throws Exception {
        TableConfig config = merge(MergeConfig.OnDuplicateKey.LAST, null);
        merge(config, TestParquet.products(1, 10, "Acme"));
        List<GenericRecord> rows = new ArrayList<>(TestParquet.products(4, 3, "First"));
        rows.add(TestParquet.products(5, 1, "Second").get(0));
        rows.add(TestParquet.products(11, 1, "New").get(0));
        rows.add(TestParquet.products(11, 1, "Newer").get(0));

        LoadResult result = merge(config, rows);

        Map<Integer, String> brands = brands(IcebergTables.load(config));
        assertEquals(11, brands.size());
        assertEquals(11, TableRows.read(IcebergTables.load(config)).size());
        assertEquals("First", brands.get(4));
        assertEquals("Second", brands.get(5));
        assertEquals("Newer", brands.get(11));
        assertEquals(new LoadResult.Merged(1, 3, 0, 3), result.merged());
    }

    @Test
    void aMarkedRowDeletesItsKey() throws Exception {
        TableConfig config = merge(MergeConfig.OnDuplicateKey.FAIL, "deleted");
        Schema schema = withDeleted();
        merge(config, schema, marked(schema, 1, 10, "Acme", false));
        List<GenericRecord> rows = new ArrayList<>(marked(schema, 3, 2, "Gone", true));
        rows.addAll(marked(schema, 5, 1, "Zeta", false));
        rows.addAll(marked(schema, 50, 1, "Never", true));

        LoadResult result = merge(config, schema, rows);

        Table table = IcebergTables.load(config);
        Map<Integer, String> brands = brands(table);
        assertEquals(8, brands.size(), brands.toString());
        assertTrue(!brands.containsKey(3) && !brands.containsKey(4) && !brands.containsKey(50));
        assertEquals("Zeta", brands.get(5));
        assertEquals(new LoadResult.Merged(0, 1, 2, 3), result.merged());
        for (Record row : TableRows.read(table)) {
            assertEquals(false, row.getField("deleted"), "the marker column holds false in every row kept");
        }
    }

    private TableConfig merge(MergeConfig.OnDuplicateKey duplicates, String deleteWhen) {
        return new TableConfig(TableConfig.Catalog.HADOOP, dir.resolve("warehouse"), null, "data", "products",
                TableConfig.Mode.MERGE, TableConfig.SchemaEvolution.NONE, Optional.empty(), false, false,
                new MergeConfig(List.of("product_id"), duplicates, Optional.ofNullable(deleteWhen)));
    }

    private LoadResult merge(TableConfig config, List<GenericRecord> rows) throws Exception {
        return merge(config, TestParquet.productSchema(), rows);
    }

    private LoadResult merge(TableConfig config, Schema schema, List<GenericRecord> rows) throws Exception {
        Path file = write(config, schema, rows);
        LoadRequest request = new LoadRequest("run-" + UUID.randomUUID().toString().substring(0, 8),
                s3.put("incoming/" + file.getFileName(), file), schema, rows.size(),
                "sha-" + file.getFileName(), "file", "test", file, -1, keys(config, schema, file));
        return new EmbeddedIcebergLoadEngine(config, s3.client()).load(request);
    }

    private Path write(TableConfig config, List<GenericRecord> rows) throws Exception {
        return write(config, TestParquet.productSchema(), rows);
    }

    private Path write(TableConfig config, Schema schema, List<GenericRecord> rows) throws Exception {
        int[] ids = new EmbeddedIcebergLoadEngine(config, s3.client()).fieldIds(schema);
        return TestParquet.write(dir.resolve(UUID.randomUUID() + ".parquet"), schema, ids, rows);
    }

    private static MergeInput keys(TableConfig config, Path file) throws Exception {
        return keys(config, TestParquet.productSchema(), file);
    }

    private static MergeInput keys(TableConfig config, Schema schema, Path file) throws Exception {
        return MergeInput.read(file, AvroToIceberg.convert(schema), config.merge(), RowLines.oneLineEach(),
                "input.csv");
    }

    private static Map<Integer, String> brands(Table table) throws Exception {
        Map<Integer, String> brands = new TreeMap<>();
        for (Record row : TableRows.read(table)) {
            brands.put((Integer) row.getField("product_id"), row.getField("brand").toString());
        }
        return brands;
    }

    private static Schema withDeleted() {
        Schema products = TestParquet.productSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : products.getFields()) {
            fields.add(new Schema.Field(field.name(), field.schema(), field.doc(), (Object) null));
        }
        fields.add(new Schema.Field("deleted", Schema.create(Schema.Type.BOOLEAN), null, (Object) null));
        return Schema.createRecord("Product", null, "test", false, fields);
    }

    private static List<GenericRecord> marked(Schema schema, int firstId, int count, String brand, boolean deleted) {
        List<GenericRecord> rows = new ArrayList<>();
        for (GenericRecord product : TestParquet.products(firstId, count, brand)) {
            GenericRecord row = new GenericData.Record(schema);
            for (Schema.Field field : product.getSchema().getFields()) {
                row.put(field.name(), product.get(field.name()));
            }
            row.put("deleted", deleted);
            rows.add(row);
        }
        return rows;
    }
}
