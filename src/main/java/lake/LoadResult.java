package lake;

/**
 * What a load committed, or why it committed nothing.
 *
 * @param table            the qualified table name, e.g. {@code data.products}
 * @param snapshotId       the snapshot the load committed
 * @param rowsAdded        rows in the data file the load added
 * @param previousRowCount rows in the table's snapshot before the load, 0 for a new table
 * @param skipped          why nothing was loaded (the table holds the input already, the file holds no rows); null
 *                         when the load committed
 * @param ledgerEntry      the load ledger's row of the load committed, or of the earlier load that holds the input
 *                         already; null when there is none (a file of no rows, an engine that keeps no ledger)
 * @param merged           what a merge did to the table's rows; null for an overwrite or an append
 * @param converted        what the Spark job's convert of a CSV did ({@code pipeline.convert.on}); null when the app
 *                         converted the input
 */
public record LoadResult(String table, long snapshotId, long rowsAdded, long previousRowCount, String skipped,
                         LedgerEntry ledgerEntry, Merged merged, Converted converted) {

    public LoadResult(String table, long snapshotId, long rowsAdded, long previousRowCount, String skipped,
                      LedgerEntry ledgerEntry, Merged merged) {
        this(table, snapshotId, rowsAdded, previousRowCount, skipped, ledgerEntry, merged, null);
    }

    /** This result, with what the Spark job's convert did. */
    public LoadResult withConverted(Converted converted) {
        return new LoadResult(table, snapshotId, rowsAdded, previousRowCount, skipped, ledgerEntry, merged, converted);
    }

    /**
     * What the Spark job's convert of a CSV did: the data rows it read, those it rejected, and where it wrote them
     * (null when none was rejected).
     */
    public record Converted(long rowsRead, long rowsRejected, String rejectsUri) {
    }

    public LoadResult(String table, long snapshotId, long rowsAdded, long previousRowCount) {
        this(table, snapshotId, rowsAdded, previousRowCount, null, null, null);
    }

    public LoadResult(String table, long snapshotId, long rowsAdded, long previousRowCount, LedgerEntry ledgerEntry) {
        this(table, snapshotId, rowsAdded, previousRowCount, null, ledgerEntry, null);
    }

    /** A merge's commit: {@code rowsAdded} is the rows it wrote for the input, one a key that is not deleted. */
    public LoadResult(String table, long snapshotId, long rowsAdded, long previousRowCount, Merged merged,
                      LedgerEntry ledgerEntry) {
        this(table, snapshotId, rowsAdded, previousRowCount, null, ledgerEntry, merged);
    }

    /** A load that found nothing to load: the run ends SKIPPED with {@code reason}. */
    public static LoadResult skipped(String reason) {
        return new LoadResult(null, -1, 0, -1, reason, null, null);
    }

    /** A load that found its input in the table already, loaded by {@code prior}: the run ends SKIPPED. */
    public static LoadResult skipped(CommitIdentity.PriorLoad prior) {
        return new LoadResult(null, -1, 0, -1, prior.describe(), LedgerEntry.of(prior), null);
    }

    public boolean isSkipped() {
        return skipped != null;
    }

    /**
     * What a merge did: keys of the input added as new rows ({@code inserted}), keys whose row it replaced
     * ({@code updated}), keys whose row it deleted ({@code deleted}), and the table's rows it took out for them
     * ({@code rowsRemoved}: as many as updated and deleted, more if the table held a key more than once).
     */
    public record Merged(long inserted, long updated, long deleted, long rowsRemoved) {
    }
}
