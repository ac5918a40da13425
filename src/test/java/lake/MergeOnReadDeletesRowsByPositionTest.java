package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import config.TableConfig;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import support.TableRows;

/**
 * A merge into a merge-on-read table (as the engine makes them) writes one position delete file and adds the
 * converted file as it is; rows already deleted are not found again, so a second merge of the same keys deletes each
 * row once and counts right (a commit made meanwhile: MergeRetriesAfterACommitMadeMeanwhileTest); a table
 * set to copy-on-write is rewritten instead, its earlier position deletes applied to the copy. Rows shown (tables, the
 * web UI, the rows before a load) are the data files' less those deleted.
 */
class MergeOnReadDeletesRowsByPositionTest extends LoadTestSupport {

    @Test
    void oneDeleteFileAndTheConvertedFileAsItIs() throws Exception {
        TableConfig config = mergeOnProductId();
        merge(config, TestParquet.products(1, 100, "Acme"), null);
        merge(config, TestParquet.products(101, 100, "Acme"), null);
        Table before = IcebergTables.load(config);
        assertEquals("merge-on-read", before.properties().get(TableProperties.MERGE_MODE), "a table made here");
        Set<String> v1Files = Set.copyOf(IcebergTables.currentFiles(before).dataFiles());

        // keys 95-105 lie in both files; 201-205 are new
        Merged v2 = merge(config, Stream.concat(TestParquet.products(95, 11, "Zeta").stream(),
                TestParquet.products(201, 5, "Zeta").stream()).toList(), null);

        assertEquals(new LoadResult.Merged(5, 11, 0, 11), v2.result().merged());
        Table table = IcebergTables.load(config);
        Snapshot snapshot = table.currentSnapshot();
        assertEquals(before.currentSnapshot().snapshotId(), snapshot.parentId(), "one snapshot");
        assertEquals("1", snapshot.summary().get("added-delete-files"));
        assertEquals("11", snapshot.summary().get("added-position-deletes"));
        SnapshotFiles files = IcebergTables.currentFiles(table);
        assertEquals(1, files.deleteFiles().size(), files.toString());
        assertTrue(files.dataFiles().containsAll(v1Files), "no data file rewritten");
        assertEquals(3, files.dataFiles().size(), files.toString());
        Path added = local(files.dataFiles().stream().filter(file -> !v1Files.contains(file)).findFirst()
                .orElseThrow());
        assertEquals(-1, Files.mismatch(added, v2.file()), "the converted file is the new rows' data file");
        assertEquals(205, LiveRows.of(snapshot));
        Map<Integer, String> brands = brands(table);
        assertEquals(205, brands.size());
        assertEquals(205, TableRows.read(table).size(), "one row a key");
        for (int id = 1; id <= 205; id++) {
            assertEquals(id >= 95 && id <= 105 || id > 200 ? "Zeta" : "Acme", brands.get(id), "product " + id);
        }
    }

    @Test
    void keysMergedAgainAreDeletedOnceAndCountedRight() throws Exception {
        TableConfig config = mergeOnProductId();
        merge(config, TestParquet.products(1, 100, "Acme"), null);
        merge(config, TestParquet.products(50, 10, "Zeta"), null);

        Merged v3 = merge(config, Stream.concat(TestParquet.products(50, 15, "Yak").stream(),
                TestParquet.products(101, 2, "Yak").stream()).toList(), null);

        assertEquals(new LoadResult.Merged(2, 15, 0, 15), v3.result().merged());
        assertEquals(100, v3.result().previousRowCount(), "rows before: total-records less position deletes");
        Table table = IcebergTables.load(config);
        assertEquals("25", table.currentSnapshot().summary().get("total-position-deletes"),
                "10 rows replaced by the second merge, 15 by the third: none twice");
        assertEquals(102, LiveRows.of(table.currentSnapshot()));
        assertEquals(102, TableSummary.of("data.products", table).rows(), "tables");
        TableOverview overview = TableOverview.of("data.products", table);
        assertEquals(102, overview.rows(), "the web UI");
        TableOverview.SnapshotInfo last = overview.snapshots().get(overview.snapshots().size() - 1);
        assertEquals(List.of(17L, 15L, 102L), List.of(last.addedRows(), last.removedRows(), last.totalRows()),
                "the last merge: 17 rows added, 15 deleted by position, 102 after");
        Map<Integer, String> brands = brands(table);
        assertEquals(102, brands.size());
        assertEquals(102, TableRows.read(table).size());
        for (int id = 1; id <= 102; id++) {
            assertEquals(id >= 50 && id <= 64 || id > 100 ? "Yak" : "Acme", brands.get(id), "product " + id);
        }
    }

    @Test
    void aCopyOnWriteTableCopiesAFileWithoutItsDeletedRowsAndDropsItsDeleteFile() throws Exception {
        TableConfig config = mergeOnProductId();
        merge(config, TestParquet.products(1, 100, "Acme"), null);
        merge(config, TestParquet.products(10, 5, "Zeta"), null);
        Table table = IcebergTables.load(config);
        table.updateProperties().set(TableProperties.MERGE_MODE, "copy-on-write").commit();

        Merged cow = merge(config, TestParquet.products(1, 3, "Yak"), null);

        table = IcebergTables.load(config);
        assertEquals(new LoadResult.Merged(0, 3, 0, 3), cow.result().merged());
        SnapshotFiles files = IcebergTables.currentFiles(table);
        assertEquals(0, files.deleteFiles().size(), "the delete file that named the rewritten file alone is gone");
        assertEquals("0", table.currentSnapshot().summary().getOrDefault("total-position-deletes", "0"));
        long rowsInFiles = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                rowsInFiles += file.recordCount();
            }
        }
        assertEquals(100, rowsInFiles, "the copy holds neither the deleted rows nor the replaced ones");
        Map<Integer, String> brands = brands(table);
        assertEquals(100, brands.size());
        for (int id = 1; id <= 100; id++) {
            assertEquals(id <= 3 ? "Yak" : id >= 10 && id <= 14 ? "Zeta" : "Acme", brands.get(id), "product " + id);
        }
    }

    @Test
    void aCopyOnWriteMergeRefusesADeleteFileThatNamesOtherFilesToo() throws Exception {
        TableConfig config = mergeOnProductId();
        merge(config, TestParquet.products(1, 100, "Acme"), null);
        merge(config, TestParquet.products(101, 100, "Acme"), null);
        merge(config, TestParquet.products(99, 4, "Zeta"), null);
        IcebergTables.load(config).updateProperties().set(TableProperties.MERGE_MODE, "copy-on-write").commit();
        long snapshot = IcebergTables.load(config).currentSnapshot().snapshotId();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> merge(config, TestParquet.products(1, 3, "Yak"), null));

        assertTrue(e.getMessage().contains("also deletes rows of other data files"), e.getMessage());
        assertTrue(e.getMessage().contains("write.merge.mode=merge-on-read"), e.getMessage());
        assertEquals(snapshot, IcebergTables.load(config).currentSnapshot().snapshotId(), "the table is unchanged");
    }

    private static Path local(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }

    private static Map<Integer, String> brands(Table table) throws Exception {
        Map<Integer, String> brands = new TreeMap<>();
        for (Record row : TableRows.read(table)) {
            brands.put((Integer) row.getField("product_id"), row.getField("brand").toString());
        }
        return brands;
    }
}
