package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import config.TableConfig;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.io.OutputFileFactory;
import org.junit.jupiter.api.Test;
import support.TableRows;
import support.WarehouseFiles;

/**
 * A commit made by another writer between a merge's plan and its commit (S3 Tables' compaction rewriting the files
 * the merge rewrites, or an append of a key the merge replaces) makes the merge plan again from the new snapshot:
 * one row a key, the input's values, nothing lost, and no file of the attempt that failed left in the table's folder.
 */
class MergeRetriesAfterACommitMadeMeanwhileTest extends LoadTestSupport {

    @Test
    void aCompactionOfTheSameFilesIsMergedInto() throws Exception {
        TableConfig config = mergeOnProductId();
        for (int first = 1; first <= 201; first += 100) {
            merge(config, TestParquet.products(first, 100, "Acme"), null);
        }
        AtomicInteger commits = new AtomicInteger();

        merge(config, TestParquet.products(150, 10, "Zeta"), () -> {
            if (commits.getAndIncrement() == 0) {
                compact(IcebergTables.load(config));
            }
        });

        Table table = IcebergTables.load(config);
        assertEquals(2, commits.get(), "planned again once");
        assertEquals("replace", table.snapshot(table.currentSnapshot().parentId()).operation());
        Map<Integer, String> brands = brands(table);
        assertEquals(300, brands.size());
        assertEquals(300, TableRows.read(table).size());
        assertEquals("Zeta", brands.get(159));
        assertEquals("Acme", brands.get(160));
    }

    @Test
    void anAppendOfAKeyTheMergeReplacesIsReplacedToo() throws Exception {
        TableConfig config = mergeOnProductId();
        merge(config, TestParquet.products(1, 100, "Acme"), null);
        AtomicInteger commits = new AtomicInteger();
        TableConfig appending = new TableConfig(config.catalog(), config.warehouse(), null, "data", "products",
                TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE);

        merge(config, TestParquet.products(50, 10, "Zeta"), () -> {
            if (commits.getAndIncrement() == 0) {
                try {
                    loadProducts(appending, 55, 1, "Other");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });

        Table table = IcebergTables.load(config);
        assertEquals(2, commits.get(), "planned again once");
        assertEquals(100, TableRows.read(table).size(), "one row a key");
        assertEquals("Zeta", brands(table).get(55));
        assertEquals(WarehouseFiles.referenced(table), WarehouseFiles.onDisk(WarehouseFiles.folder(table)),
                "what the first attempt wrote (its position delete file) is gone");
    }

    /** Every data file rewritten into one, in a commit of its own, as a table bucket's compaction does. */
    private static void compact(Table table) {
        Set<DataFile> old = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> old.add(task.file()));
            List<Record> rows = TableRows.read(table);
            OutputFileFactory files = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET).build();
            DataWriter<Record> writer = new GenericAppenderFactory(table.schema(), table.spec())
                    .newDataWriter(files.newOutputFile(), FileFormat.PARQUET, null);
            try (writer) {
                rows.forEach(writer::write);
            }
            table.newRewrite().rewriteFiles(old, Set.of(writer.toDataFile())).commit();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<Integer, String> brands(Table table) throws Exception {
        Map<Integer, String> brands = new TreeMap<>();
        for (Record row : TableRows.read(table)) {
            brands.put((Integer) row.getField("product_id"), row.getField("brand").toString());
        }
        return brands;
    }
}
