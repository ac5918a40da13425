package lake;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import support.TableRows;

/**
 * A compaction as Amazon S3 Tables' maintenance (or Spark's rewrite_data_files) commits one: every row read and
 * written again into one new file, and a {@code replace} snapshot ({@code newRewrite().rewriteFiles}) whose added
 * records equal the table's total.
 */
final class S3TablesLikeCompaction {

    private S3TablesLikeCompaction() {
    }

    static void rewriteEveryFile(Table table) throws IOException {
        List<Record> rows = TableRows.read(table);
        Set<DataFile> old = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> old.add(task.file()));
        }
        String location = table.locationProvider().newDataLocation("rewritten-" + UUID.randomUUID() + ".parquet");
        FileAppender<Record> appender = new GenericAppenderFactory(table.schema(), table.spec())
                .newAppender(table.io().newOutputFile(location), FileFormat.PARQUET);
        try (appender) {
            rows.forEach(appender::add);
        }
        DataFile rewritten = DataFiles.builder(table.spec()).withPath(location).withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(appender.length()).withMetrics(appender.metrics()).build();
        table.newRewrite().validateFromSnapshot(table.currentSnapshot().snapshotId())
                .rewriteFiles(old, Set.of(rewritten)).commit();
    }
}
