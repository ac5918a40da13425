package lake;

/** What the load stage reports: the table, its new snapshot and the row counts used for reconciliation. */
public record LoadResult(String table, long snapshotId, long rowsAdded, long previousRowCount) {
}
