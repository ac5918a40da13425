package core;

import java.util.Arrays;

/**
 * The CSV line each row of a converted Parquet file starts on, kept as the rows where the count of lines per row
 * changes (a quoted value over several lines, a rejected or blank line): none for a CSV of one line a row. A message
 * about a row of the file (two rows with one key) names its line with it.
 */
public final class RowLines {

    /** Rows kept track of at most; beyond them a line is unknown (-1), and the memory stays bounded. */
    static final int MAX_CHANGES = 1 << 20;

    private long[] rows = new long[16];
    private long[] lines = new long[16];
    private int changes;
    /** The last row whose line is known: all of them unless {@link #MAX_CHANGES} was reached. */
    private long knownUpTo = Long.MAX_VALUE;

    /** A CSV of one line a row after a header line: row 0 on line 2, row 1 on line 3... */
    public static RowLines oneLineEach() {
        RowLines lines = new RowLines();
        lines.note(0, 2);
        return lines;
    }

    /** Notes that row {@code row} (0-based, in the order written) starts on line {@code line}. */
    public void note(long row, long line) {
        if (changes > 0 && lines[changes - 1] + (row - rows[changes - 1]) == line) {
            return;
        }
        if (changes == MAX_CHANGES) {
            knownUpTo = Math.min(knownUpTo, row - 1);
            return;
        }
        if (changes == rows.length) {
            rows = Arrays.copyOf(rows, changes * 2);
            lines = Arrays.copyOf(lines, changes * 2);
        }
        rows[changes] = row;
        lines[changes] = line;
        changes++;
    }

    /** The line row {@code row} starts on; -1 when it was not kept track of. */
    public long line(long row) {
        int at = Arrays.binarySearch(rows, 0, changes, row);
        int change = at >= 0 ? at : -at - 2;
        if (change < 0 || row > knownUpTo) {
            return -1;
        }
        return lines[change] + (row - rows[change]);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RowLines that && knownUpTo == that.knownUpTo
               && Arrays.equals(rows, 0, changes, that.rows, 0, that.changes)
               && Arrays.equals(lines, 0, changes, that.lines, 0, that.changes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(Arrays.copyOf(rows, changes));
    }

    @Override
    public String toString() {
        return "RowLines[" + changes + " change(s)" + (knownUpTo == Long.MAX_VALUE ? "" : ", known up to row " + knownUpTo) + "]";
    }
}
