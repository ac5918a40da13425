package lake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.RowLevelOperationMode;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.util.ContentFileUtil;
import org.apache.iceberg.util.DataFileSet;
import org.apache.iceberg.util.DeleteFileSet;
import org.apache.iceberg.types.Conversions;
import org.slf4j.LoggerFactory;

/**
 * What a merge changes in a table's snapshot: the rows of the table's data files that hold a key of the input, found
 * first by their key column's bounds (Iceberg's scan planning, then each input key against them), then by reading that
 * column alone; rows a position delete already removed are not found again. The table's {@code write.merge.mode}
 * (Iceberg's {@link TableProperties#MERGE_MODE}) says how they go:
 * <ul>
 *   <li>{@code merge-on-read}: one position delete file names them (path, position), the data files stay as they
 *       are, and the commit is a row delta;</li>
 *   <li>{@code copy-on-write} (Iceberg's default): each such file is copied without those rows ({@link ParquetCopy}:
 *       its other row groups byte for byte), or dropped when no row of it remains, and the commit an overwrite.</li>
 * </ul>
 * The input's new rows are a file of their own, which the merge adds beside.
 */
final class MergePlan {

    private final List<DataFile> removed = new ArrayList<>();
    private final List<DataFile> rewritten = new ArrayList<>();
    private final DeleteFileSet removedDeletes = DeleteFileSet.create();
    /** Merge-on-read: the rows to delete, by data file location, in the order a position delete file wants. */
    private final SortedMap<String, long[]> deletedRows = new TreeMap<>();
    private final BitSet found = new BitSet();
    private final Snapshot base;
    private final boolean mergeOnRead;
    private DeleteFile deletes;
    private long rowsRemoved;
    private long rowsCopied;
    private int filesRead;

    private MergePlan(Snapshot base, boolean mergeOnRead) {
        this.base = base;
        this.mergeOnRead = mergeOnRead;
    }

    /** The plan of a merge into a table that does not exist yet: nothing to rewrite. */
    static MergePlan empty() {
        return new MergePlan(null, false);
    }

    /**
     * Plans the merge of {@code input} into {@code table} as of its current snapshot, writing the copies (or the
     * position delete file) now, each to a location {@code newLocation} gives after {@code beforeWrite} was told of it
     * (a note a restart reads if the process dies before the commit).
     */
    static MergePlan of(Table table, MergeInput input, Supplier<String> newLocation,
                        Consumer<String> beforeWrite) throws IOException {
        MergePlan plan = new MergePlan(table.currentSnapshot(), mergeOnRead(table));
        if (plan.base == null) {
            return plan;
        }
        KeyColumns keys = KeyColumns.of(table.schema(), input.keys().columns().stream()
                .map(KeyColumns.Column::name).toList());
        MetricsConfig metrics = MetricsConfig.forTable(table);
        PositionDeletes positionDeletes = new PositionDeletes(table);
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(plan.base.snapshotId())
                .filter(input.range()).planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                refuseEqualityDeletes(table, task);
                if (!input.mayHold(bounds(file, keys))) {
                    continue;
                }
                PositionDeleteIndex deleted = positionDeletes.of(file.location(), task.deletes());
                long[] rows = plan.rowsOfInputKeys(table, file, keys, input, deleted);
                if (rows.length == 0) {
                    continue;
                }
                plan.rowsRemoved += rows.length;
                if (plan.mergeOnRead) {
                    plan.deletedRows.put(file.location(), rows);
                    continue;
                }
                plan.removed.add(file);
                plan.removedDeletes.addAll(deletesOnlyOf(table, task));
                long[] gone = deleted.isEmpty() ? rows : PositionDeletes.ascending(deleted, rows);
                if (gone.length < file.recordCount()) {
                    String location = newLocation.get();
                    beforeWrite.accept(location);
                    plan.rewritten.add(copyWithout(table, file, gone, location, metrics));
                    plan.rowsCopied += file.recordCount() - gone.length;
                }
            }
        }
        if (!plan.deletedRows.isEmpty()) {
            String location = newLocation.get();
            beforeWrite.accept(location);
            plan.deletes = plan.writeDeletes(table, location);
        }
        return plan;
    }

    /**
     * Whether {@code table} takes a merge's rows out with position deletes: its {@code write.merge.mode}, whose
     * default is copy-on-write as for every Iceberg writer; position deletes need format version 2.
     */
    private static boolean mergeOnRead(Table table) {
        String mode = table.properties().getOrDefault(TableProperties.MERGE_MODE, TableProperties.MERGE_MODE_DEFAULT);
        RowLevelOperationMode parsed;
        try {
            parsed = RowLevelOperationMode.fromName(mode);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Table " + table.name() + " has the table property "
                    + TableProperties.MERGE_MODE + "=" + mode + ", which a merge does not know: set it to "
                    + "merge-on-read or copy-on-write (ALTER TABLE ... SET TBLPROPERTIES)", e);
        }
        if (parsed != RowLevelOperationMode.MERGE_ON_READ) {
            return false;
        }
        int version = TableUtil.formatVersion(table);
        if (version != 2) {
            throw new IllegalStateException("Table " + table.name() + " has " + TableProperties.MERGE_MODE
                    + "=merge-on-read but format version " + version + "; the embedded engine writes position delete"
                    + " files to format version 2 tables only (Athena reads no version 3): set the table property "
                    + TableProperties.MERGE_MODE + "=copy-on-write" + (version < 2 ? " or upgrade the table to"
                    + " format-version 2" : ""));
        }
        return true;
    }

    /** Equality deletes: pyiceberg does not read them, nor does a merge here. */
    private static void refuseEqualityDeletes(Table table, FileScanTask task) {
        for (DeleteFile delete : task.deletes()) {
            if (delete.content() == FileContent.EQUALITY_DELETES) {
                throw new IllegalStateException("Data file " + task.file().location() + " of table " + table.name()
                        + " has the equality delete file " + delete.location() + " (written by another engine's"
                        + " merge-on-read); a merge applies position deletes only: compact the table first");
            }
        }
    }

    /**
     * Copy-on-write of a data file with position deletes: its copy leaves out the deleted rows, so the delete files
     * that name it alone go with it; one that also names other data files cannot.
     */
    private static List<DeleteFile> deletesOnlyOf(Table table, FileScanTask task) {
        for (DeleteFile delete : task.deletes()) {
            if (!task.file().location().equals(ContentFileUtil.referencedDataFileLocation(delete))) {
                throw new IllegalStateException("Data file " + task.file().location() + " of table " + table.name()
                        + " has rows deleted by " + delete.location() + ", which also deletes rows of other data"
                        + " files; a copy-on-write merge cannot rewrite the file alone: set the table property "
                        + TableProperties.MERGE_MODE + "=merge-on-read, or compact the table first (maintain)");
            }
        }
        return task.deletes();
    }

    /**
     * The commit of this plan, with the file of the input's new rows ({@code newRows}, null for none), validated
     * against what was committed since the snapshot it planned from where it touches the input's keys ({@code range}).
     */
    SnapshotUpdate<?> update(Transaction transaction, DataFile newRows, Expression range) {
        if (mergeOnRead) {
            RowDelta delta = transaction.newRowDelta();
            if (newRows != null) {
                delta.addRows(newRows);
            }
            if (deletes != null) {
                // a compaction meanwhile that rewrote a file the deletes name makes the merge plan again
                delta.addDeletes(deletes).validateDataFilesExist(deletedRows.keySet());
            }
            delta.conflictDetectionFilter(range).validateNoConflictingDataFiles().validateNoConflictingDeleteFiles()
                    .validateDeletedFiles();
            if (base != null) {
                delta.validateFromSnapshot(base.snapshotId());
            }
            return delta;
        }
        OverwriteFiles overwrite = transaction.newOverwrite();
        overwrite.deleteFiles(DataFileSet.of(removed), removedDeletes);
        rewritten.forEach(overwrite::addFile);
        if (newRows != null) {
            overwrite.addFile(newRows);
        }
        overwrite.conflictDetectionFilter(range).validateNoConflictingData().validateNoConflictingDeletes();
        if (base != null) {
            overwrite.validateFromSnapshot(base.snapshotId());
        }
        return overwrite;
    }

    /** The files this plan wrote (copies, or its position delete file), to delete when its commit did not happen. */
    List<String> written() {
        List<String> written = new ArrayList<>();
        rewritten.forEach(file -> written.add(file.location()));
        if (deletes != null) {
            written.add(deletes.location());
        }
        return written;
    }

    /** What the merge does to the table's rows: keys inserted, updated, deleted, and rows taken out. */
    LoadResult.Merged counts(MergeInput input) {
        return input.counts(found, rowsRemoved);
    }

    /** For the log: files read and rewritten (or rows deleted by position), rows copied and taken out. */
    String describe() {
        if (mergeOnRead) {
            return filesRead + " data file(s) read for their key, " + deletedRows.size() + " holding input keys, "
                   + rowsRemoved + " row(s) deleted by position" + (deletes == null ? "" : " in " + deletes.location());
        }
        return filesRead + " data file(s) read for their key, " + removed.size() + " holding input keys, "
               + rewritten.size() + " rewritten (" + rowsCopied + " rows kept, " + rowsRemoved + " taken out)";
    }

    /**
     * Writes the plan's one position delete file with Iceberg's writer: rows sorted by data file path, then position,
     * as the format asks. It is deleted again if it cannot be completed.
     */
    private DeleteFile writeDeletes(Table table, String location) throws IOException {
        PositionDeleteWriter<Object> writer = null;
        try {
            // path and position only, no copy of the deleted row (forTable would ask for it); the path's bounds in
            // full, so that a file naming one data file says which (ContentFileUtil.referencedDataFileLocation)
            writer = Parquet.writeDeletes(table.io().newOutputFile(location)).forTable(table).rowSchema(null)
                    .metricsConfig(MetricsConfig.forPositionDelete(table)).withSpec(table.spec()).overwrite()
                    .buildPositionWriter();
            PositionDelete<Object> delete = PositionDelete.create();
            for (Map.Entry<String, long[]> file : deletedRows.entrySet()) {
                for (long row : file.getValue()) {
                    writer.write(delete.set(file.getKey(), row));
                }
            }
            writer.close();
            return writer.toDeleteFile();
        } catch (IOException | RuntimeException e) {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException | RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            deleteQuietly(table, location);
            throw e;
        }
    }

    /**
     * The rows of {@code file} (positions, ascending) whose key the input holds, but for those {@code deleted}
     * already took out of the table; notes those keys as found.
     */
    private long[] rowsOfInputKeys(Table table, DataFile file, KeyColumns keys, MergeInput input,
                                   PositionDeleteIndex deleted) throws IOException {
        filesRead++;
        long[] rows = new long[16];
        int count = 0;
        try (KeyReader reader = KeyReader.open(ParquetFiles.input(table.io().newInputFile(file.location(),
                file.fileSizeInBytes())), keys, null, input::mayHold)) {
            while (reader.next()) {
                if (reader.nullKey() || deleted.isDeleted(reader.row())) {
                    continue;
                }
                int key = input.indexOf(reader.hi(), reader.lo());
                if (key >= 0) {
                    found.set(key);
                    if (count == rows.length) {
                        rows = Arrays.copyOf(rows, count * 2);
                    }
                    rows[count++] = reader.row();
                }
            }
        }
        return Arrays.copyOf(rows, count);
    }

    private static DataFile copyWithout(Table table, DataFile file, long[] rows, String location, MetricsConfig metrics)
            throws IOException {
        ParquetCopy.Written copy;
        try {
            copy = ParquetCopy.withoutRows(ParquetFiles.input(table.io().newInputFile(file.location(),
                    file.fileSizeInBytes())), ParquetFiles.output(table.io().newOutputFile(location)), rows);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(table, location);
            throw e;
        }
        return DataFiles.builder(table.spec())
                .withPath(location)
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(copy.bytes())
                .withMetrics(ParquetUtil.footerMetrics(copy.footer(), Stream.empty(), metrics))
                .withSplitOffsets(ParquetUtil.getSplitOffsets(copy.footer()))
                .build();
    }

    /** Each key column's range in {@code file} by its bounds; null where the file has none. */
    private static KeyReader.Range[] bounds(DataFile file, KeyColumns keys) {
        KeyReader.Range[] ranges = new KeyReader.Range[keys.size()];
        Map<Integer, ByteBuffer> lower = file.lowerBounds();
        Map<Integer, ByteBuffer> upper = file.upperBounds();
        for (int c = 0; c < keys.size(); c++) {
            KeyColumns.Column column = keys.get(c);
            ByteBuffer low = lower == null ? null : lower.get(column.fieldId());
            ByteBuffer high = upper == null ? null : upper.get(column.fieldId());
            if (low != null && high != null) {
                ranges[c] = new KeyReader.Range(
                        KeyColumns.canonical(column, Conversions.fromByteBuffer(column.type(), low)),
                        KeyColumns.canonical(column, Conversions.fromByteBuffer(column.type(), high)));
            }
        }
        return ranges;
    }

    /** Deletes the copies of a plan whose commit did not happen. */
    static void deleteQuietly(Table table, String location) {
        try {
            table.io().deleteFile(location);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(MergePlan.class).warn("Cannot delete the unused file {}: {}", location,
                    e.getMessage());
        }
    }
}
