package lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import config.TableConfig;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * A table as the web UI shows it, read from its metadata only (no data file is opened): its columns, its row count and
 * files as its current snapshot records them, and each snapshot with what its summary says about the load that made
 * it ({@link CommitIdentity}).
 *
 * @param exists    false for a table that nothing has loaded yet (then the rest is empty)
 * @param rows      the current snapshot's rows ({@code total-records} less {@code total-position-deletes})
 * @param files     the current snapshot's data files, at most {@link #MAX_FILES}
 * @param fileCount how many data files the current snapshot has
 * @param bytes     their size
 * @param snapshots every snapshot the metadata keeps, oldest first
 */
public record TableOverview(String table, boolean exists, List<Column> columns, long rows, List<DataFileInfo> files,
        long fileCount, long bytes, List<SnapshotInfo> snapshots) {

    /** The most data files listed by name; the count and size are of all of them. */
    public static final int MAX_FILES = 100;

    /** A column: its name, Iceberg type and whether it may be null. */
    public record Column(String name, String type, boolean optional) {
    }

    /** A data file: where, its rows and size. */
    public record DataFileInfo(String location, long rows, long bytes) {
    }

    /**
     * A snapshot: when, which operation, the rows it added and removed (data files' rows and rows deleted by position),
     * the rows of the table after it, and the run and input (SHA-256) its commit records; run and input are null for a
     * commit the pipeline did not make.
     */
    public record SnapshotInfo(long snapshotId, Instant committedAt, String operation, long addedRows,
            long removedRows, long totalRows, String runId, String inputSha256) {
    }

    /** Reads {@code config}'s table through its catalog, which is closed again. */
    public static TableOverview of(TableConfig config) {
        try (IcebergTables tables = IcebergTables.open(config)) {
            Optional<Table> found = tables.find();
            if (found.isEmpty()) {
                return new TableOverview(config.qualifiedName(), false, List.of(), 0, List.of(), 0, 0, List.of());
            }
            return of(config.qualifiedName(), found.get());
        }
    }

    static TableOverview of(String name, Table table) {
        List<Column> columns = new ArrayList<>();
        for (Types.NestedField field : table.schema().columns()) {
            columns.add(new Column(field.name(), field.type().toString(), field.isOptional()));
        }
        List<SnapshotInfo> snapshots = new ArrayList<>();
        for (Snapshot snapshot : table.snapshots()) {
            Map<String, String> summary = snapshot.summary();
            snapshots.add(new SnapshotInfo(snapshot.snapshotId(), Instant.ofEpochMilli(snapshot.timestampMillis()),
                    snapshot.operation(), number(summary, SnapshotSummary.ADDED_RECORDS_PROP),
                    number(summary, SnapshotSummary.DELETED_RECORDS_PROP)
                    + number(summary, SnapshotSummary.ADDED_POS_DELETES_PROP),
                    LiveRows.of(snapshot), summary.get(CommitIdentity.RUN_ID),
                    summary.get(CommitIdentity.INPUT_SHA256)));
        }
        snapshots.sort((a, b) -> a.committedAt().compareTo(b.committedAt()));
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return new TableOverview(name, true, columns, 0, List.of(), 0, 0, snapshots);
        }
        List<DataFileInfo> files = new ArrayList<>();
        long count = 0;
        long bytes = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                count++;
                bytes += file.fileSizeInBytes();
                if (files.size() < MAX_FILES) {
                    files.add(new DataFileInfo(file.location(), file.recordCount(), file.fileSizeInBytes()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot plan a scan of " + name, e);
        }
        return new TableOverview(name, true, columns, LiveRows.of(current),
                files, count, bytes, snapshots);
    }

    private static long number(Map<String, String> summary, String key) {
        try {
            return Long.parseLong(summary.getOrDefault(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
