package lake;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import config.MergeConfig;
import core.BadInputException;
import core.RowLines;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.parquet.io.LocalInputFile;

/**
 * The keys of a merge's input, read once from the converted Parquet's key columns (and its delete marker column): each
 * key once, sorted by its {@link KeyColumns.Fingerprint}, with whether the input deletes it, and the input's rows that
 * the table must not get (a row a later one with the same key replaces, under {@code pipeline.table.onDuplicateKey=last},
 * and every row marked for deletion). Two rows with one key fail the run naming both lines, unless the later is to win.
 * Set on the exchange after the convert stage ({@code core.Pipeline.MERGE_INPUT}); the embedded engine finds the
 * table's rows to replace with it. It holds about 21 bytes a row of the input (13 for a key of one whole-number
 * column), nothing else of the rows.
 */
public final class MergeInput {

    /** Messages name a few duplicate keys, not all of them. */
    private static final int NAMED_DUPLICATES = 1;

    private final KeyColumns keys;
    private final long[] his;
    private final long[] los;
    private final int size;
    private final BitSet deletes;
    private final long[] dropped;
    private final long rows;
    private final Object[] min;
    private final Object[] max;

    private MergeInput(KeyColumns keys, long[] his, long[] los, int size, BitSet deletes, long[] dropped, long rows,
                       Object[] min, Object[] max) {
        this.keys = keys;
        this.his = his;
        this.los = los;
        this.size = size;
        this.deletes = deletes;
        this.dropped = dropped;
        this.rows = rows;
        this.min = min;
        this.max = max;
    }

    /**
     * Reads the keys of {@code parquet}, converted with columns of {@code schema} (Iceberg's, by name), as
     * {@code merge} says; {@code lines} names a row's line in a message about it, {@code source} the input.
     */
    public static MergeInput read(Path parquet, org.apache.iceberg.Schema schema, MergeConfig merge, RowLines lines,
                                  String source) throws IOException {
        KeyColumns keys = KeyColumns.of(schema, merge.key()).byName();
        String marker = merge.deleteWhen().orElse(null);
        Reading reading = new Reading(keys);
        try (KeyReader reader = KeyReader.open(new LocalInputFile(parquet), keys, marker, ranges -> true)) {
            while (reader.next()) {
                if (reader.nullKey()) {
                    throw new BadInputException("the row on line " + lineOf(lines, reader.row()) + " of " + source
                            + " has no value in a column of pipeline.table.key (" + String.join(", ", merge.key())
                            + ")");
                }
                reading.add(reader);
            }
        }
        return reading.finish(merge, lines, source, parquet);
    }

    /** The number of keys the input holds, each once. */
    int size() {
        return size;
    }

    /** The input's rows, counted before duplicates and deletions are taken out. */
    long rows() {
        return rows;
    }

    /** Rows of the converted file (0-based, ascending) the table must not get: replaced duplicates, deletions. */
    long[] droppedRows() {
        return dropped;
    }

    /** The rows of the converted file the table gets: one a key, none marked for deletion. */
    long upsertRows() {
        return rows - dropped.length;
    }

    KeyColumns keys() {
        return keys;
    }

    /** Whether the input deletes key {@code index} instead of writing it. */
    boolean deletes(int index) {
        return deletes.get(index);
    }

    /**
     * What merging this input does, given the keys the table held ({@code found}, by index) and the table's rows the
     * merge takes out: keys inserted, updated (their row replaced) and deleted.
     */
    LoadResult.Merged counts(BitSet found, long rowsRemoved) {
        BitSet deleted = (BitSet) found.clone();
        deleted.and(deletes);
        long foundKeys = found.cardinality();
        long deleting = deletes.cardinality();
        return new LoadResult.Merged(size - deleting - (foundKeys - deleted.cardinality()),
                foundKeys - deleted.cardinality(), deleted.cardinality(), rowsRemoved);
    }

    /** The index of the key of fingerprint ({@code hi}, {@code lo}), or -1 when the input does not hold it. */
    int indexOf(long hi, long lo) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = compare(his[mid], lo(mid), hi, lo);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /**
     * Whether rows whose key columns lie in {@code ranges} (one per key column, null where unknown) may have a key of
     * the input: each column's range meets the input's, and, for a key of one whole-number column, some input key
     * lies in it.
     */
    boolean mayHold(KeyReader.Range[] ranges) {
        for (int c = 0; c < ranges.length; c++) {
            KeyReader.Range range = ranges[c];
            if (range == null || range.min() == null || range.max() == null) {
                continue;
            }
            if (KeyColumns.compare(range.max(), min[c]) < 0 || KeyColumns.compare(range.min(), max[c]) > 0) {
                return false;
            }
        }
        if (keys.exact() && ranges.length == 1 && ranges[0] != null && ranges[0].min() != null
            && ranges[0].max() != null) {
            long from = (Long) ranges[0].min();
            long to = (Long) ranges[0].max();
            int at = Arrays.binarySearch(his, 0, size, from);
            int first = at >= 0 ? at : -at - 1;
            return first < size && his[first] <= to;
        }
        return true;
    }

    /** The table's rows a merge may replace: each key column between the input's smallest and largest value. */
    Expression range() {
        Expression range = Expressions.alwaysTrue();
        for (int c = 0; c < keys.size(); c++) {
            KeyColumns.Column column = keys.get(c);
            range = Expressions.and(range, Expressions.and(
                    Expressions.greaterThanOrEqual(column.name(), KeyColumns.literal(column, min[c])),
                    Expressions.lessThanOrEqual(column.name(), KeyColumns.literal(column, max[c]))));
        }
        return range;
    }

    private long lo(int index) {
        return los == null ? 0 : los[index];
    }

    private static int compare(long hi1, long lo1, long hi2, long lo2) {
        int c = Long.compare(hi1, hi2);
        return c != 0 ? c : Long.compare(lo1, lo2);
    }

    private static String lineOf(RowLines lines, long row) {
        long line = lines.line(row);
        return line < 0 ? "(row " + (row + 1) + " of the converted file)" : String.valueOf(line);
    }

    /** The keys as they are read, row by row, then sorted and made unique. */
    private static final class Reading {

        private final KeyColumns keys;
        private long[] his = new long[1024];
        private long[] los;
        private int[] rowOf = new int[1024];
        private final BitSet markers = new BitSet();
        private int count;
        private final Object[] min;
        private final Object[] max;

        Reading(KeyColumns keys) {
            this.keys = keys;
            this.los = keys.exact() ? null : new long[1024];
            this.min = new Object[keys.size()];
            this.max = new Object[keys.size()];
        }

        void add(KeyReader reader) {
            if (count == his.length) {
                int more = count + (count >> 1);
                his = Arrays.copyOf(his, more);
                rowOf = Arrays.copyOf(rowOf, more);
                if (los != null) {
                    los = Arrays.copyOf(los, more);
                }
            }
            if (reader.row() > Integer.MAX_VALUE - 1) {
                throw new BadInputException("a merge takes at most " + Integer.MAX_VALUE + " rows a run");
            }
            his[count] = reader.hi();
            if (los != null) {
                los[count] = reader.lo();
            }
            rowOf[count] = (int) reader.row();
            if (reader.marker()) {
                markers.set((int) reader.row());
            }
            for (int c = 0; c < keys.size(); c++) {
                Object value = reader.value(c);
                if (min[c] == null || KeyColumns.compare(value, min[c]) < 0) {
                    min[c] = copy(value);
                }
                if (max[c] == null || KeyColumns.compare(value, max[c]) > 0) {
                    max[c] = copy(value);
                }
            }
            count++;
        }

        private static Object copy(Object value) {
            return value instanceof byte[] bytes ? bytes.clone() : value;
        }

        MergeInput finish(MergeConfig merge, RowLines lines, String source, Path parquet) throws IOException {
            sort(0, count - 1);
            boolean last = merge.onDuplicateKey() == MergeConfig.OnDuplicateKey.LAST;
            BitSet deletes = new BitSet();
            List<Long> droppedRows = new ArrayList<>();
            int unique = 0;
            int duplicateKeys = 0;
            int firstRow = -1;
            int secondRow = -1;
            for (int i = 0; i < count; ) {
                int end = i + 1;
                while (end < count && his[end] == his[i] && (los == null || los[end] == los[i])) {
                    end++;
                }
                // sorted by row within a key: the last of the run is the latest
                int kept = end - 1;
                if (end - i > 1) {
                    duplicateKeys++;
                    if (!last && (secondRow < 0 || rowOf[i + 1] < secondRow)) {
                        firstRow = rowOf[i];
                        secondRow = rowOf[i + 1];
                    }
                    for (int d = i; d < kept; d++) {
                        droppedRows.add((long) rowOf[d]);
                    }
                }
                if (markers.get(rowOf[kept])) {
                    deletes.set(unique);
                    droppedRows.add((long) rowOf[kept]);
                }
                his[unique] = his[kept];
                if (los != null) {
                    los[unique] = los[kept];
                }
                unique++;
                i = end;
            }
            if (duplicateKeys > 0 && !last) {
                throw duplicates(parquet, lines, source, firstRow, secondRow, duplicateKeys);
            }
            long[] dropped = droppedRows.stream().mapToLong(Long::longValue).sorted().toArray();
            return new MergeInput(keys, his, los, unique, deletes, dropped, count, min, max);
        }

        private BadInputException duplicates(Path parquet, RowLines lines, String source, int first, int second,
                                             int duplicateKeys) throws IOException {
            String key = keyText(parquet, first);
            return new BadInputException("two rows of " + source + " have the key " + key + ": lines "
                    + lineOf(lines, first) + " and " + lineOf(lines, second)
                    + (duplicateKeys > NAMED_DUPLICATES ? " (" + (duplicateKeys - NAMED_DUPLICATES) + " more key(s)"
                       + " appear more than once)" : "")
                    + "; a merge takes one row a key: fix the input, or set pipeline.table.onDuplicateKey to last"
                    + " to keep the later row");
        }

        /**
         * The key of row {@code row} as a message shows it, {@code product_id = 17} or {@code a = 1, b = x}: spaced,
         * as a pair such as {@code sort_key=x} would be masked as a secret in every log line.
         */
        private String keyText(Path parquet, int row) throws IOException {
            try (KeyReader reader = KeyReader.open(new LocalInputFile(parquet), keys, null, ranges -> true)) {
                while (reader.next()) {
                    if (reader.row() == row) {
                        List<String> parts = new ArrayList<>();
                        for (int c = 0; c < keys.size(); c++) {
                            parts.add(keys.get(c).name() + " = " + KeyColumns.text(keys.get(c), reader.value(c)));
                        }
                        return String.join(", ", parts);
                    }
                }
            }
            return "(unknown)";
        }

        /** Sorts the rows read by key, then by row: a quicksort over the parallel arrays. */
        private void sort(int from, int to) {
            while (to - from > 16) {
                int mid = (from + to) >>> 1;
                // median of three as the pivot, moved to the end
                if (less(mid, from)) {
                    swap(mid, from);
                }
                if (less(to, from)) {
                    swap(to, from);
                }
                if (less(to, mid)) {
                    swap(to, mid);
                }
                swap(mid, to);
                int store = from;
                for (int i = from; i < to; i++) {
                    if (less(i, to)) {
                        swap(i, store++);
                    }
                }
                swap(store, to);
                // the smaller side recursively, the larger in the loop: the stack stays shallow
                if (store - from < to - store) {
                    sort(from, store - 1);
                    from = store + 1;
                } else {
                    sort(store + 1, to);
                    to = store - 1;
                }
            }
            for (int i = from + 1; i <= to; i++) {
                for (int j = i; j > from && less(j, j - 1); j--) {
                    swap(j, j - 1);
                }
            }
        }

        private boolean less(int a, int b) {
            int c = compare(his[a], los == null ? 0 : los[a], his[b], los == null ? 0 : los[b]);
            return c != 0 ? c < 0 : rowOf[a] < rowOf[b];
        }

        private void swap(int a, int b) {
            long h = his[a];
            his[a] = his[b];
            his[b] = h;
            if (los != null) {
                long l = los[a];
                los[a] = los[b];
                los[b] = l;
            }
            int r = rowOf[a];
            rowOf[a] = rowOf[b];
            rowOf[b] = r;
        }
    }
}
