package lake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Conversions;
import org.slf4j.LoggerFactory;

/**
 * What a merge changes in a table's snapshot, copy-on-write: the data files that hold a key of the input, found first
 * by their key column's bounds (Iceberg's scan planning, then each input key against them), then by reading that
 * column alone; each such file is copied without those rows ({@link ParquetCopy}: its other row groups byte for byte),
 * or dropped when no row of it remains. The input's new rows are a file of their own, which the merge adds beside.
 */
final class MergePlan {

    private final List<DataFile> removed = new ArrayList<>();
    private final List<DataFile> rewritten = new ArrayList<>();
    private final BitSet found = new BitSet();
    private final Snapshot base;
    private long rowsRemoved;
    private long rowsCopied;
    private int filesRead;

    private MergePlan(Snapshot base) {
        this.base = base;
    }

    /** The plan of a merge into a table that does not exist yet: nothing to rewrite. */
    static MergePlan empty() {
        return new MergePlan(null);
    }

    /**
     * Plans the merge of {@code input} into {@code table} as of its current snapshot, writing the copies now, each to
     * a location {@code newLocation} gives after {@code beforeWrite} was told of it (a note a restart reads if the
     * process dies before the commit).
     */
    static MergePlan of(Table table, MergeInput input, Supplier<String> newLocation,
                        Consumer<String> beforeWrite) throws IOException {
        MergePlan plan = new MergePlan(table.currentSnapshot());
        if (plan.base == null) {
            return plan;
        }
        KeyColumns keys = KeyColumns.of(table.schema(), input.keys().columns().stream()
                .map(KeyColumns.Column::name).toList());
        MetricsConfig metrics = MetricsConfig.forTable(table);
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(plan.base.snapshotId())
                .filter(input.range()).planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                if (!task.deletes().isEmpty()) {
                    throw new IllegalStateException("Data file " + file.location() + " of table " + table.name()
                            + " has row-level delete files (written by another engine's merge-on-read); a merge"
                            + " rewrites data files without them: compact the table first");
                }
                if (!input.mayHold(bounds(file, keys))) {
                    continue;
                }
                long[] rows = plan.rowsOfInputKeys(table, file, keys, input);
                if (rows.length == 0) {
                    continue;
                }
                plan.removed.add(file);
                plan.rowsRemoved += rows.length;
                if (rows.length < file.recordCount()) {
                    String location = newLocation.get();
                    beforeWrite.accept(location);
                    plan.rewritten.add(copyWithout(table, file, rows, location, metrics));
                    plan.rowsCopied += file.recordCount() - rows.length;
                }
            }
        }
        return plan;
    }

    /** The snapshot planned from; null for a table never written. */
    Snapshot base() {
        return base;
    }

    /** Replaces the files this plan removes by their copies, in {@code overwrite}. */
    void apply(OverwriteFiles overwrite) {
        removed.forEach(overwrite::deleteFile);
        rewritten.forEach(overwrite::addFile);
    }

    /** The copies this plan wrote, to delete when its commit did not happen. */
    List<DataFile> rewritten() {
        return rewritten;
    }

    /** What the merge does to the table's rows: keys inserted, updated, deleted, and rows taken out. */
    LoadResult.Merged counts(MergeInput input) {
        return input.counts(found, rowsRemoved);
    }

    /** For the log: files read and rewritten, rows copied and taken out. */
    String describe() {
        return filesRead + " data file(s) read for their key, " + removed.size() + " holding input keys, "
               + rewritten.size() + " rewritten (" + rowsCopied + " rows kept, " + rowsRemoved + " taken out)";
    }

    /** The rows of {@code file} (positions, ascending) whose key the input holds; notes those keys as found. */
    private long[] rowsOfInputKeys(Table table, DataFile file, KeyColumns keys, MergeInput input) throws IOException {
        filesRead++;
        long[] rows = new long[16];
        int count = 0;
        try (KeyReader reader = KeyReader.open(ParquetFiles.input(table.io().newInputFile(file.location(),
                file.fileSizeInBytes())), keys, null, input::mayHold)) {
            while (reader.next()) {
                if (reader.nullKey()) {
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
            LoggerFactory.getLogger(MergePlan.class).warn("Cannot delete the unused copy {}: {}", location,
                    e.getMessage());
        }
    }
}
