package lake;

/**
 * What a load committed.
 *
 * @param table            the qualified table name, e.g. {@code data.products}
 * @param snapshotId       the snapshot the load committed
 * @param rowsAdded        rows in the data file the load added
 * @param previousRowCount rows in the table's snapshot before the load, 0 for a new table
 */
public record LoadResult(String table, long snapshotId, long rowsAdded, long previousRowCount) {
}
