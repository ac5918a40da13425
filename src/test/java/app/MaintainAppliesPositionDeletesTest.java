package app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongFunction;

import config.TableConfig;
import lake.IcebergTables;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ApplicationProcess;
import support.PyIceberg;
import support.WarehouseFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code maintain} on a table whose merges wrote position delete files (merge-on-read): the compaction leaves the
 * deleted rows out and removes the delete files in its commit, a wholly deleted file is dropped, the rows read the
 * same through Iceberg and pyiceberg before and after, a delete file a kept snapshot references stays, and once those
 * snapshots expire the table's folder holds only referenced files. An equality delete file is refused, naming it,
 * and the table is left as it is.
 */
class MaintainAppliesPositionDeletesTest {

    private static final Duration RUN = Duration.ofSeconds(120);
    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "product_id", Types.LongType.get()),
            Types.NestedField.optional(2, "product_name", Types.StringType.get()),
            Types.NestedField.optional(3, "product_category", Types.StringType.get()),
            Types.NestedField.optional(4, "brand", Types.StringType.get()));

    @TempDir
    Path dir;

    @Test
    void positionDeletesAreAppliedAndTheirFilesRemoved() throws Exception {
        Path data = dir.resolve("data");
        Table table = create(data);
        List<DataFile> loads = new ArrayList<>();
        for (int load = 0; load < 12; load++) {
            // one load of several row groups: some lose rows, some none
            loads.add(append(table, load * 10_000L, load == 5 ? 3_000 : 10));
        }
        deletePositions(table, loads.get(1), 0, 3, 9);
        deletePositions(table, loads.get(2), 1, 2);
        deletePositions(table, loads.get(2), 2, 5);
        deletePositions(table, loads.get(3), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        deletePositions(table, loads.get(5), 17, 1_500, 1_501, 2_999);
        // one delete file for two data files, as a merge touching both writes it
        try (PositionDeleteWriter<Record> writer = positionWriter(table)) {
            writer.write(PositionDelete.<Record>create().set(loads.get(7).location(), 4L, null));
            writer.write(PositionDelete.<Record>create().set(loads.get(8).location(), 0L, null));
            writer.write(PositionDelete.<Record>create().set(loads.get(8).location(), 9L, null));
            commitDeletes(table, writer);
        }
        table.refresh();
        Snapshot before = table.currentSnapshot();
        List<List<String>> rows = rows(table, before.snapshotId());
        assertEquals(11 * 10 + 3_000 - 3 - 3 - 10 - 4 - 3, rows.size(), "Iceberg applies the deletes");
        assertEquals(rows, PyIceberg.rows(data.resolve("warehouse"), "data", "products"), "pyiceberg reads them too");
        Set<Path> deleteFiles = deleteFilesOnDisk(data);
        assertEquals(6, deleteFiles.size());
        assertTrue(loads.get(5).splitOffsets().size() > 2, "the large load has several row groups");

        // compacted, every snapshot kept: what they reference stays
        ApplicationProcess.Result compacted = maintain(data, "100");
        assertEquals(0, compacted.exitCode(), compacted.output());
        assertTrue(compacted.stdout().contains("compacted 12 small file(s)"), compacted.output());
        assertTrue(compacted.stdout().contains("applying 6 position delete file(s): 23 row(s) removed by deletes,"
                + " 6 delete file(s) removed"), compacted.output());
        table.refresh();
        assertEquals("replace", table.currentSnapshot().operation());
        assertEquals(1, count(table.currentSnapshot().addedDataFiles(table.io())));
        List<FileScanTask> tasks = tasks(table);
        assertEquals(1, tasks.size(), "one file of 12 small ones");
        assertTrue(tasks.get(0).deletes().isEmpty(), "no delete file applies to the compacted file");
        assertEquals(0, liveDeletes(table, table.currentSnapshot()), "no delete file left in the current snapshot");
        assertEquals(rows, rows(table, table.currentSnapshot().snapshotId()), "the rows are unchanged");
        assertEquals(rows, PyIceberg.rows(data.resolve("warehouse"), "data", "products"),
                "the rows are unchanged for pyiceberg");
        assertEquals(deleteFiles, deleteFilesOnDisk(data), "the older snapshots still reference the delete files");
        assertEquals(rows, rows(table, before.snapshotId()), "the snapshot before reads as it did");

        // the older snapshots expired, orphan files not looked for: the expiry deletes the delete files as it
        // deletes data files, and only the files the table references are left
        ApplicationProcess.Result expired = maintain(data, "1", "-Dpipeline.table.maintenance.removeOrphanFiles=false");
        assertEquals(0, expired.exitCode(), expired.output());
        table.refresh();
        assertEquals(1, count(table.snapshots()), expired.output());
        assertEquals(Set.of(), deleteFilesOnDisk(data), "the delete files went with the snapshots");
        assertEquals(WarehouseFiles.referenced(table), WarehouseFiles.onDisk(tableFolder(data)),
                "the table's folder holds only the files its metadata references");
        assertEquals(rows, rows(table, table.currentSnapshot().snapshotId()));
        assertEquals(rows, PyIceberg.rows(data.resolve("warehouse"), "data", "products"));
    }

    @Test
    void anEqualityDeleteFileIsRefusedAndTheTableLeftAsItIs() throws Exception {
        Path data = dir.resolve("data");
        Table table = create(data);
        DataFile first = append(table, 0, 10);
        append(table, 100, 10);
        deletePositions(table, first, 0);
        Schema key = SCHEMA.select("product_id");
        String location = table.locationProvider().newDataLocation("equality-deletes.parquet");
        EqualityDeleteWriter<Record> writer = Parquet.writeDeletes(table.io().newOutputFile(location))
                .forTable(table).withSpec(table.spec()).rowSchema(key).equalityFieldIds(1)
                .createWriterFunc(GenericParquetWriter::create).overwrite().buildEqualityWriter();
        try (writer) {
            writer.write(GenericRecord.create(key).copy(Map.of("product_id", 3L)));
        }
        table.newRowDelta().addDeletes(writer.toDeleteFile()).commit();
        table.refresh();
        long snapshot = table.currentSnapshot().snapshotId();
        List<List<String>> rows = rows(table, snapshot);
        assertEquals(18, rows.size());
        Set<Path> files = WarehouseFiles.onDisk(tableFolder(data));

        ApplicationProcess.Result refused = maintain(data, "1");

        assertEquals(1, refused.exitCode(), refused.output());
        assertTrue(refused.stderr().contains("maintain: Table data.products has the equality delete file "
                + location), refused.output());
        assertTrue(refused.stderr().contains("applies position deletes only, and changed nothing"), refused.output());
        assertTrue(refused.stderr().contains("pipeline.table.maintenance.compact=false"), refused.output());
        table.refresh();
        assertEquals(snapshot, table.currentSnapshot().snapshotId(), "no commit");
        assertEquals(files, WarehouseFiles.onDisk(tableFolder(data)), "no file added or removed");
        assertEquals(rows, rows(table, snapshot));
    }

    @Test
    void aFileWithDeletesIsRewrittenWhateverItsSizeAndAWhollyDeletedOneDropped() throws Exception {
        Path data = dir.resolve("data");
        Table table = create(data);
        DataFile gone = append(table, 0, 10);
        // two files above the 1MB target: names that do not compress
        DataFile large = append(table, 100_000, 40_000, id -> "Product " + id + " " + UUID.randomUUID());
        DataFile untouched = append(table, 200_000, 40_000, id -> "Product " + id + " " + UUID.randomUUID());
        assertTrue(large.fileSizeInBytes() > 1024 * 1024 && untouched.fileSizeInBytes() > 1024 * 1024);
        deletePositions(table, gone, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        deletePositions(table, large, 20_000);
        table.refresh();
        List<List<String>> rows = rows(table, table.currentSnapshot().snapshotId());
        assertEquals(80_000 - 1, rows.size());

        ApplicationProcess.Result maintained = maintain(data, "1", "-Dpipeline.table.maintenance.targetFileSize=1MB");

        assertEquals(0, maintained.exitCode(), maintained.output());
        assertTrue(maintained.stdout().contains("compacted 2 small file(s)"), maintained.output());
        assertTrue(maintained.stdout().contains("into 1, applying 2 position delete file(s): 11 row(s) removed by"
                + " deletes, 2 delete file(s) removed"), maintained.output());
        table.refresh();
        List<FileScanTask> tasks = tasks(table);
        assertEquals(2, tasks.size(), "the large file rewritten, the wholly deleted one dropped, the other as it was");
        assertTrue(tasks.stream().allMatch(task -> task.deletes().isEmpty()));
        assertTrue(tasks.stream().anyMatch(task -> task.file().location().equals(untouched.location())));
        assertEquals(rows, rows(table, table.currentSnapshot().snapshotId()));
        assertEquals(Set.of(), deleteFilesOnDisk(data));
        assertEquals(WarehouseFiles.referenced(table), WarehouseFiles.onDisk(tableFolder(data)));
    }

    private static Table create(Path data) {
        TableConfig config = new TableConfig(TableConfig.Catalog.HADOOP, data.resolve("warehouse"), null, "data",
                "products", TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE);
        try (IcebergTables tables = IcebergTables.open(config)) {
            // small row groups: the large load has several
            return tables.catalog().createTable(TableIdentifier.of("data", "products"), SCHEMA,
                    PartitionSpec.unpartitioned(), Map.of(TableProperties.FORMAT_VERSION, "2",
                            TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "8192",
                            TableProperties.PARQUET_ROW_GROUP_CHECK_MIN_RECORD_COUNT, "50",
                            TableProperties.PARQUET_ROW_GROUP_CHECK_MAX_RECORD_COUNT, "100"));
        }
    }

    /** Appends one data file of {@code count} products from {@code firstId}, as a load does. */
    private static DataFile append(Table table, long firstId, int count) throws IOException {
        return append(table, firstId, count, id -> "Product " + id);
    }

    private static DataFile append(Table table, long firstId, int count, LongFunction<String> name)
            throws IOException {
        String location = table.locationProvider().newDataLocation("load-" + firstId + ".parquet");
        DataWriter<Record> writer = Parquet.writeData(table.io().newOutputFile(location))
                .forTable(table).createWriterFunc(GenericParquetWriter::create).overwrite().build();
        try (writer) {
            for (long id = firstId; id < firstId + count; id++) {
                writer.write(GenericRecord.create(SCHEMA).copy(Map.of("product_id", id,
                        "product_name", name.apply(id), "product_category", "Books", "brand", "Acme " + id % 7)));
            }
        }
        DataFile file = writer.toDataFile();
        table.newAppend().appendFile(file).commit();
        return file;
    }

    private static void deletePositions(Table table, DataFile file, long... positions) throws IOException {
        try (PositionDeleteWriter<Record> writer = positionWriter(table)) {
            for (long position : positions) {
                writer.write(PositionDelete.<Record>create().set(file.location(), position, null));
            }
            commitDeletes(table, writer);
        }
    }

    private static PositionDeleteWriter<Record> positionWriter(Table table) throws IOException {
        String location = table.locationProvider().newDataLocation("deletes-" + System.nanoTime() + ".parquet");
        // the data file paths' bounds in full, as Iceberg's and Spark's writers keep them: a delete file applies
        // to the files between its bounds only
        return Parquet.writeDeletes(table.io().newOutputFile(location)).withSpec(table.spec())
                .metricsConfig(MetricsConfig.forPositionDelete(table)).overwrite().buildPositionWriter();
    }

    /** Closes {@code writer} and commits its delete file, as a merge-on-read merge does. */
    private static void commitDeletes(Table table, PositionDeleteWriter<Record> writer) throws IOException {
        writer.close();
        table.newRowDelta().addDeletes(writer.toDeleteFile()).commit();
    }

    private static ApplicationProcess.Result maintain(Path data, String keepSnapshots, String... settings)
            throws Exception {
        List<String> arguments = new ArrayList<>(List.of("-Dpipeline.table.mode=append",
                "-Dpipeline.table.maintenance.expireSnapshotsAfter=0s",
                "-Dpipeline.table.maintenance.keepSnapshots=" + keepSnapshots,
                "-Dpipeline.table.maintenance.minInputFiles=2",
                "-Dpipeline.table.maintenance.orphanFilesAfter=0s"));
        arguments.addAll(List.of(settings));
        return ApplicationProcess.command(data, arguments, List.of("maintain"), RUN);
    }

    /** The snapshot's rows through Iceberg's generic reader (which applies deletes), as text, ordered. */
    private static List<List<String>> rows(Table table, long snapshotId) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).useSnapshot(snapshotId).build()) {
            for (Record record : records) {
                List<String> row = new ArrayList<>();
                // the reader adds the position (_pos) where it applies deletes: the table's columns only
                SCHEMA.columns().forEach(column -> row.add(String.valueOf(record.getField(column.name()))));
                rows.add(row);
            }
        }
        rows.sort(Comparator.comparingLong(row -> Long.parseLong(row.get(0))));
        return rows;
    }

    private static List<FileScanTask> tasks(Table table) throws IOException {
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            List<FileScanTask> all = new ArrayList<>();
            tasks.forEach(all::add);
            return all;
        }
    }

    private static int liveDeletes(Table table, Snapshot snapshot) throws IOException {
        int live = 0;
        for (ManifestFile manifest : snapshot.deleteManifests(table.io())) {
            try (CloseableIterable<DeleteFile> files = ManifestFiles.readDeleteManifest(manifest, table.io(),
                    table.specs())) {
                live += count(files);
            }
        }
        return live;
    }

    private static Path tableFolder(Path data) {
        return data.resolve("warehouse").resolve("data").resolve("products");
    }

    private static Set<Path> deleteFilesOnDisk(Path data) throws IOException {
        Set<Path> deletes = new HashSet<>(WarehouseFiles.onDisk(tableFolder(data)));
        deletes.removeIf(file -> !file.getFileName().toString().startsWith("deletes-"));
        return deletes;
    }

    private static int count(Iterable<?> items) {
        int n = 0;
        for (Object ignored : items) {
            n++;
        }
        return n;
    }
}
